import { readFileSync } from 'node:fs';
import { writeFileAtomicSync } from './atomic-file.js';
import { JOURNAL_RULES_VERSION } from '../documents/journal-doc.js';

/**
 * Which journal chunks were validated entry by entry, and at which heads: a restart reads a chunk
 * whose heads are unchanged without validating its entries again (the heads are hashes of the
 * whole history, so equal heads mean equal content). Only chunks with nothing quarantined are
 * recorded. The cache is keyed by the program's version and the journal's rules: after an upgrade
 * everything is validated once more. A missing or unreadable cache only costs time.
 *
 * File: <data>/cache/validated.json, replaced atomically.
 */
export class ValidationCache {
  private readonly heads = new Map<string, string>();
  private dirty = false;

  private constructor(
    private readonly file: string,
    private readonly key: string,
  ) {}

  static open(file: string, appVersion: string, log?: (message: string) => void): ValidationCache {
    const cache = new ValidationCache(file, `${appVersion}/journal-rules-${JOURNAL_RULES_VERSION}`);
    try {
      const text = readFileSync(file, 'utf8');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text) as unknown;
      } catch (error) {
        log?.(`${file} cannot be read (${String(error)}): every journal chunk is checked again`);
        return cache;
      }
      if (parsed !== null && typeof parsed === 'object') {
        const { key, chunks } = parsed as { key?: unknown; chunks?: unknown };
        if (key === cache.key && chunks !== null && typeof chunks === 'object') {
          for (const [id, heads] of Object.entries(chunks))
            if (typeof heads === 'string') cache.heads.set(id, heads);
        }
      }
    } catch {
      // No cache yet: every chunk is validated.
    }
    return cache;
  }

  static headsKey(heads: readonly string[]): string {
    return [...heads].sort().join(',');
  }

  /** Were these exact contents (heads) of this document validated before? */
  has(documentId: string, heads: readonly string[]): boolean {
    return this.heads.get(documentId) === ValidationCache.headsKey(heads);
  }

  record(documentId: string, heads: readonly string[]): void {
    const key = ValidationCache.headsKey(heads);
    if (this.heads.get(documentId) === key) return;
    this.heads.set(documentId, key);
    this.dirty = true;
  }

  forget(documentId: string): void {
    if (this.heads.delete(documentId)) this.dirty = true;
  }

  /** Write the file if anything changed; a failure to write only costs time at the next start. */
  save(): void {
    if (!this.dirty) return;
    try {
      writeFileAtomicSync(
        this.file,
        JSON.stringify({ key: this.key, chunks: Object.fromEntries(this.heads) }),
        0o600,
      );
      this.dirty = false;
    } catch {
      // Kept dirty: tried again at the next save.
    }
  }
}
