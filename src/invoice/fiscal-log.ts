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
import { fsyncDirectory } from '../crdt/storage/atomic-file.js';
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

/** The record of the frame at `offset`, or undefined when it is not whole, checked and readable. */
function frameAt(bytes: Buffer, offset: number): LoggedRecord | undefined {
  if (offset + HEADER > bytes.length) return undefined;
  const length = bytes.readUInt32BE(offset);
  if (length > MAX_RECORD || offset + HEADER + length > bytes.length) return undefined;
  const payload = bytes.subarray(offset + HEADER, offset + HEADER + length);
  if (crc32(payload) !== bytes.readUInt32BE(offset + 4)) return undefined;
  return decodeRecord(payload);
}

/**
 * An append that failed. `cutBack`: the file is back to where the append began, so the record is
 * certainly not in it; otherwise the record may be whole in the file and read back at the next
 * open.
 */
export class LogAppendError extends Error {
  /** The system error's code (ENOSPC, EIO…), as the error the write threw carries it. */
  readonly code: string | undefined;

  constructor(
    cause: unknown,
    readonly cutBack: boolean,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}

export class FiscalLog {
  /** Synced appends since the log was opened (the benchmark's syncs per sale). */
  syncs = 0;

  private constructor(
    private fd: number | undefined,
    readonly path: string,
  ) {}

  static open(dir: string): OpenedLog {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'fiscal.log');
    const problems: string[] = [];
    const records: LoggedRecord[] = [];
    if (existsSync(path)) {
      const bytes = readFileSync(path);
      /** Byte ranges of the frames kept. */
      const kept: [number, number][] = [];
      let offset = 0;
      while (offset < bytes.length) {
        if (offset + HEADER > bytes.length) {
          problems.push(`torn record header at byte ${offset}: cut off`);
          break;
        }
        const length = bytes.readUInt32BE(offset);
        if (length > MAX_RECORD || offset + HEADER + length > bytes.length) {
          problems.push(`torn record at byte ${offset}: cut off`);
          break;
        }
        const end = offset + HEADER + length;
        const record = frameAt(bytes, offset);
        if (record === undefined) {
          // A flipped byte inside one record (STO3): when the frame after it is whole, only this
          // record is lost — the journal holds a copy of every entry — and reading goes on.
          if (end === bytes.length || frameAt(bytes, end) !== undefined) {
            problems.push(`corrupt record at byte ${offset} (checksum): left out`);
            offset = end;
            continue;
          }
          problems.push(`corrupt record at byte ${offset} (checksum): the rest of the file is kept aside`);
          break;
        }
        records.push(record);
        kept.push([offset, end]);
        offset = end;
      }
      const keptBytes = kept.reduce((n, [a, b]) => n + (b - a), 0);
      if (keptBytes < bytes.length) {
        // Keep the original for support staff, then go on with the records that could be read.
        const aside = `${path}.aside-${Date.now()}`;
        renameSync(path, aside);
        const fd = openSync(path, 'w', 0o600);
        for (const [a, b] of kept) writeSync(fd, bytes, a, b - a);
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
      let cutBack = false;
      try {
        const size = readFileSync(this.path).length - written;
        ftruncateSync(this.fd, Math.max(0, size));
        cutBack = true;
      } catch {
        // The torn tail is cut off at the next open anyway; a whole one is read back then.
      }
      throw new LogAppendError(error, cutBack);
    }
    this.syncs += options.sync !== false ? 1 : 0;
  }

  close(): void {
    if (this.fd !== undefined) {
      fdatasyncSync(this.fd);
      closeSync(this.fd);
    }
    this.fd = undefined;
  }
}
