import { existsSync, readFileSync, rmSync } from 'node:fs';
import { canonicalJson } from '../domain/canonical-json.js';
import type { Numbering } from '../domain/schemas.js';
import { err, ok, type Result } from '../domain/result.js';
import { generateSigningKey, signingKeyFromPem, type SigningKey } from '../security/signing.js';
import { checkCertificate } from '../security/terminal-trust.js';
import { writeFileAtomicSync } from '../crdt/storage/atomic-file.js';
import type { TerminalCloud } from '../upload/cloud-port.js';
import {
  BACKUP_SUFFIX,
  dataPaths,
  type CloudConfig,
  type TerminalConfig,
  writeTerminalConfig,
} from './terminal-config.js';
import type { NextRange } from '../invoice/ledger.js';
import { spanOf, type Certificate } from '../domain/certificate.js';

/**
 * RNG4 (src/upload/SPEC.md): a terminal holds the next range the cloud authorized for it — read at
 * "Leer catálogo" — with a key certified for that range, and switches to it by itself when the
 * current one is used up or expires, so the till never stops for want of numbers while the cloud
 * is out. What is held is in terminal.json (`next`) and keys/next-key.pem.
 */
const sameRange = (a: Numbering, b: Numbering) => a.prefix === b.prefix && a.from === b.from;

/** The next range: assigned after the current one, not yet over, the earliest such. */
export function pickNextRange(
  current: Numbering,
  assigned: readonly Numbering[],
  today: string,
): Numbering | undefined {
  return assigned
    .filter((n) => !sameRange(n, current) && n.validUntil >= today)
    .filter((n) => n.prefix !== current.prefix || n.from > current.to)
    .sort((a, b) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : a.from - b.from))[0];
}

/**
 * RNG5: the part of the current range after this terminal's position, when the store certifies
 * positions and one is left: the next key gets the next position of the same resolution.
 */
export function morePositions(config: TerminalConfig): boolean {
  const { numbering, position } = config.certificate;
  return position !== undefined && position.to < numbering.to;
}

export type HoldOutcome =
  | { readonly held: Numbering; readonly fresh: boolean }
  | { readonly held: null; readonly why: 'none-assigned' | 'not-certifiable' };

/**
 * Ask the cloud for this terminal's ranges; when a next one is assigned and not held yet, make a
 * key, have the store certify it, and keep both. The cloud certifies keys for the range it assigned
 * last, so a next range that is not the last assigned is reported, not held.
 */
export async function holdNextRange(options: {
  readonly dataDir: string;
  readonly config: TerminalConfig;
  readonly cloudConfig: CloudConfig;
  readonly cloud: Pick<TerminalCloud, 'resolutions' | 'certifyKey'>;
  readonly today: string;
  /**
   * RNG5: also hold the next position of the current range when no later range is assigned (the
   * terminal asks for it once half of its position is used, not at once: every position a key
   * holds is one a re-installed terminal cannot have).
   */
  readonly wantNextPosition: boolean;
}): Promise<Result<{ outcome: HoldOutcome; config: TerminalConfig; key?: SigningKey }, string>> {
  const { config, cloud } = options;
  const p = config.provisioning;
  const assigned = await cloud.resolutions(p.store.id, p.terminal.id);
  if (!assigned.ok) return err(assigned.reason, assigned.message);
  const current = config.certificate.numbering;
  const next =
    pickNextRange(current, assigned.value, options.today) ??
    (options.wantNextPosition && morePositions(config) ? current : undefined);
  if (!next) return ok({ outcome: { held: null, why: 'none-assigned' }, config });
  if (config.next && canonicalJson(config.next.numbering) === canonicalJson(next))
    return ok({ outcome: { held: next, fresh: false }, config });
  const { pem, key } = generateSigningKey();
  // A next resolution is named (the cloud certifies for the one in use otherwise); the next
  // position of the current one is what a new key gets by default (RNG5).
  const certified = await cloud.certifyKey(
    p.store.id,
    p.terminal.id,
    key.publicKey,
    next === current ? undefined : { prefix: next.prefix, from: next.from },
  );
  if (!certified.ok) return err(certified.reason, certified.message);
  const checked = checkCertificate(certified.value, p.store.id, p.storePublicKey);
  if (!checked.ok || checked.value.publicKey !== key.publicKey || checked.value.terminalId !== p.terminal.id)
    return err(
      'invalid-cloud-answer',
      'the cloud answered a certificate that is not for this terminal’s key',
    );
  const position = checked.value.position;
  if (
    canonicalJson(checked.value.numbering) !== canonicalJson(next) ||
    (next === current &&
      (position === undefined || position.from <= (config.certificate.position?.to ?? current.to)))
  )
    return ok({ outcome: { held: null, why: 'not-certifiable' }, config });
  const path = dataPaths(options.dataDir).nextKey;
  writeFileAtomicSync(path + BACKUP_SUFFIX, pem, 0o600);
  writeFileAtomicSync(path, pem, 0o600);
  const updated: TerminalConfig = { ...config, next: { numbering: next, certificate: checked.value } };
  writeTerminalConfig(options.dataDir, updated, options.cloudConfig);
  return ok({ outcome: { held: next, fresh: true }, config: updated, key });
}

/** The next range held in the data directory, with its key, if any (and readable). */
export function loadNextRange(dataDir: string, config: TerminalConfig): NextRange | undefined {
  if (!config.next) return undefined;
  const path = dataPaths(dataDir).nextKey;
  for (const candidate of [path, path + BACKUP_SUFFIX]) {
    if (!existsSync(candidate)) continue;
    try {
      const key = signingKeyFromPem(readFileSync(candidate, 'utf8'));
      if (key.publicKey === config.next.certificate.publicKey)
        return { numbering: config.next.numbering, position: config.next.certificate.position, key };
    } catch {
      // try the copy
    }
  }
  return undefined;
}

/**
 * Make the switch durable: the next key becomes the terminal's key, the next range and its
 * certificate the terminal's, and the old certificate stays listed (what it signed stays
 * verifiable). Synchronous: the ledger calls it before reserving the first number of the range.
 */
export function switchToNextRange(
  dataDir: string,
  config: TerminalConfig,
  cloudConfig: CloudConfig,
): TerminalConfig {
  const next = config.next;
  if (!next) throw new Error('no next range held');
  const paths = dataPaths(dataDir);
  const pem = readFileSync(existsSync(paths.nextKey) ? paths.nextKey : paths.nextKey + BACKUP_SUFFIX, 'utf8');
  const { next: _held, ...rest } = config;
  const p = config.provisioning;
  const updated: TerminalConfig = {
    ...rest,
    provisioning: {
      ...p,
      terminal: { ...p.terminal, numbering: next.numbering },
      certificates: [
        ...p.certificates.filter(
          (c) => c.keyId !== config.certificate.keyId && c.keyId !== next.certificate.keyId,
        ),
        config.certificate,
        next.certificate,
      ],
    },
    certificate: next.certificate,
  };
  // The configuration first, then the key: a crash in between leaves keys/next-key.pem holding the
  // key the configuration's certificate names, which the next start takes (`promoteHeldKey`).
  writeTerminalConfig(dataDir, updated, cloudConfig);
  writeFileAtomicSync(paths.key + BACKUP_SUFFIX, pem, 0o600);
  writeFileAtomicSync(paths.key, pem, 0o600);
  rmSync(paths.nextKey, { force: true });
  rmSync(paths.nextKey + BACKUP_SUFFIX, { force: true });
  return updated;
}

/**
 * A start after a switch that a crash cut between the configuration and the key: when the held
 * key is the one the certificate names, it becomes the terminal's key. Answers whether it did.
 */
export function promoteHeldKey(dataDir: string, expectedPublicKey: string): boolean {
  const paths = dataPaths(dataDir);
  for (const candidate of [paths.nextKey, paths.nextKey + BACKUP_SUFFIX]) {
    if (!existsSync(candidate)) continue;
    try {
      const pem = readFileSync(candidate, 'utf8');
      if (signingKeyFromPem(pem).publicKey !== expectedPublicKey) continue;
      writeFileAtomicSync(paths.key + BACKUP_SUFFIX, pem, 0o600);
      writeFileAtomicSync(paths.key, pem, 0o600);
      return true;
    } catch {
      // the copy, then nothing
    }
  }
  return false;
}

/**
 * The terminal's ranges while it runs: the configuration as it changes (a next range held, a
 * switch), the next range the ledger may switch to, and what the store document must know (the
 * new key's certificate, the terminal's new numbering).
 */
const HOLD_RETRY_MS = 10 * 60_000;

export class RangeKeeper {
  private next: NextRange | undefined;

  constructor(
    private readonly o: {
      readonly dataDir: string;
      config: TerminalConfig;
      readonly cloudConfig: CloudConfig;
      readonly cloud: Pick<TerminalCloud, 'resolutions' | 'certifyKey'>;
      readonly today: () => string;
      /** RNG5: how much of the current position is used (percent), to ask for the next one. */
      readonly usedPercent: () => number;
      readonly publish: (config: TerminalConfig, certificate: Certificate) => void;
      readonly say: (line: string) => void;
    },
  ) {
    this.next = loadNextRange(o.dataDir, o.config);
  }

  get config(): TerminalConfig {
    return this.o.config;
  }

  /** For the ledger (RNG4). */
  held(): NextRange | undefined {
    return this.next;
  }

  /** "Leer catálogo": hold the next range the cloud assigned, if any. */
  async hold(): Promise<Result<HoldOutcome, string>> {
    const got = await holdNextRange({
      dataDir: this.o.dataDir,
      config: this.o.config,
      cloudConfig: this.o.cloudConfig,
      cloud: this.o.cloud,
      today: this.o.today(),
      wantNextPosition: this.o.usedPercent() >= 50,
    });
    if (!got.ok) return got;
    const { outcome, config, key } = got.value;
    this.o.config = config;
    if (outcome.held && key && config.next) {
      const { numbering, position } = config.next.certificate;
      this.next = { numbering, position, key };
      this.o.publish(config, config.next.certificate);
      const span = spanOf(config.next.certificate);
      this.o.say(
        `holds its next range ${span.prefix}${span.from}–${span.prefix}${span.to} (resolution ${numbering.resolutionNumber})`,
      );
    }
    return ok(outcome);
  }

  private lastTry = Number.NEGATIVE_INFINITY;

  /**
   * RNG4/RNG5 while the cloud answers: hold a next range the store assigned, or the next position
   * once half of this one is used, without waiting for "Leer catálogo" (at most every 10 minutes;
   * a failure waits for the next try).
   */
  async holdWhenDue(now: number): Promise<void> {
    if (this.next || now - this.lastTry < HOLD_RETRY_MS) return;
    this.lastTry = now;
    await this.hold().catch(() => undefined);
  }

  /** The ledger switches (RNG4): durable before the first number of the next range. */
  switchNow(): void {
    const from = spanOf(this.o.config.certificate);
    const updated = switchToNextRange(this.o.dataDir, this.o.config, this.o.cloudConfig);
    this.o.config = updated;
    this.next = undefined;
    this.o.publish(updated, updated.certificate);
    const span = spanOf(updated.certificate);
    this.o.say(
      `range ${from.prefix}${from.from}–${from.prefix}${from.to} is over: numbering from ${span.prefix}${span.from}–${span.prefix}${span.to} (resolution ${updated.certificate.numbering.resolutionNumber})`,
    );
  }
}
