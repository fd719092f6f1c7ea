import {
  closeSync,
  existsSync,
  fdatasyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { fsyncDirectory } from '../storage/atomic-file.js';
import { decodeRecord, encodeRecord, type FiscalRecord, type LoggedRecord } from './fiscal-record.js';

export type { FiscalRecord, LoggedEntry, LoggedRecord, ReserveRecord } from './fiscal-record.js';

/**
 * The terminal's durable fiscal log: append-only, one checksummed record per write, fsynced
 * before `append` returns. It is the source of truth for reserved numbers and the copy from which
 * the terminal's journal is rebuilt if the automerge storage loses anything.
 *
 * Frame: [u32 BE length][u32 BE crc32(payload)][payload] (payload formats: fiscal-record.ts). A
 * crash can only tear the last frame, which was never acknowledged: it is cut off on open.
 */
const HEADER = 8;
const MAX_RECORD = 4 * 1024 * 1024;

export interface OpenedLog {
  readonly log: FiscalLog;
  readonly records: LoggedRecord[];
  /** What was wrong with the file, if anything (a torn tail, a corrupt record). */
  readonly problems: string[];
}

export class FiscalLog {
  private constructor(
    private fd: number | undefined,
    readonly path: string,
  ) {}

  static open(dir: string): OpenedLog {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'fiscal.log');
    const problems: string[] = [];
    const records: LoggedRecord[] = [];
    let goodLength = 0;
    if (existsSync(path)) {
      const bytes = readFileSync(path);
      let offset = 0;
      while (offset < bytes.length) {
        if (offset + HEADER > bytes.length) {
          problems.push(`torn record header at byte ${offset}: cut off`);
          break;
        }
        const length = bytes.readUInt32BE(offset);
        const sum = bytes.readUInt32BE(offset + 4);
        if (length > MAX_RECORD || offset + HEADER + length > bytes.length) {
          problems.push(`torn record at byte ${offset}: cut off`);
          break;
        }
        const payload = bytes.subarray(offset + HEADER, offset + HEADER + length);
        if (crc32(payload) !== sum) {
          problems.push(`corrupt record at byte ${offset} (checksum): the rest of the file is kept aside`);
          break;
        }
        const record = decodeRecord(payload);
        if (record === undefined) {
          problems.push(`unreadable record at byte ${offset}: the rest of the file is kept aside`);
          break;
        }
        records.push(record);
        offset += HEADER + length;
        goodLength = offset;
      }
      if (goodLength < bytes.length) {
        // Keep the unreadable tail for support staff, then continue from the last good record.
        const aside = `${path}.aside-${Date.now()}`;
        renameSync(path, aside);
        const fd = openSync(path, 'w', 0o600);
        writeSync(fd, bytes, 0, goodLength);
        fdatasyncSync(fd);
        closeSync(fd);
        fsyncDirectory(dir);
        problems.push(`the original file is kept as ${aside}`);
      }
    }
    const created = !existsSync(path);
    const fd = openSync(path, 'a', 0o600);
    // A new file's directory entry must be durable too, or the first records could vanish.
    if (created) fsyncDirectory(dir);
    return { log: new FiscalLog(fd, path), records, problems };
  }

  /**
   * Append one record and fsync it: on disk when this returns. With `sync: false` the record is
   * only written; the next synced append (or close) makes it durable — for copies of what is
   * already durable elsewhere.
   */
  append(record: FiscalRecord, options: { sync?: boolean } = {}): void {
    if (this.fd === undefined) throw new Error('the fiscal log is closed');
    const payload = encodeRecord(record);
    const frame = Buffer.allocUnsafe(HEADER + payload.length);
    frame.writeUInt32BE(payload.length, 0);
    frame.writeUInt32BE(crc32(payload), 4);
    payload.copy(frame, HEADER);
    let written = 0;
    try {
      while (written < frame.length) written += writeSync(this.fd, frame, written, frame.length - written);
      if (options.sync !== false) fdatasyncSync(this.fd);
    } catch (error) {
      // A partial frame must not be followed by good ones: cut back to where this append began.
      try {
        const size = readFileSync(this.path).length - written;
        ftruncateSync(this.fd, Math.max(0, size));
      } catch {
        // The torn tail is cut off at the next open anyway.
      }
      throw error;
    }
  }

  close(): void {
    if (this.fd !== undefined) {
      fdatasyncSync(this.fd);
      closeSync(this.fd);
    }
    this.fd = undefined;
  }
}
