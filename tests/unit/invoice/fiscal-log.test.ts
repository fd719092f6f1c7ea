import { appendFileSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FiscalLog, type FiscalRecord } from '../../../src/invoice/fiscal-log.js';
import { tempDir } from '../../support/processes.js';

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

const reserve = (consecutive: number): FiscalRecord => ({
  t: 'reserve',
  prefix: 'C1',
  consecutive,
  at: '2026-11-28T10:00:00-05:00',
});

function fresh() {
  const dir = tempDir('caja-log-');
  dirs.push(dir);
  return dir.path;
}

describe('fiscal log', () => {
  it('[NUM2] keeps every appended record across reopen', () => {
    const dir = fresh();
    const { log } = FiscalLog.open(dir);
    for (let i = 1; i <= 50; i += 1) log.append(reserve(i));
    log.close();
    const again = FiscalLog.open(dir);
    expect(again.records).toHaveLength(50);
    expect(again.records.at(-1)).toEqual(reserve(50));
    expect(again.problems).toEqual([]);
    again.log.close();
  });

  it('[NUM7] cuts off a torn last record and keeps appending after it', () => {
    const dir = fresh();
    const { log } = FiscalLog.open(dir);
    log.append(reserve(1));
    log.append(reserve(2));
    log.close();
    const path = join(dir, 'fiscal.log');
    const size = readFileSync(path).length;
    truncateSync(path, size - 5);
    const reopened = FiscalLog.open(dir);
    expect(reopened.records).toEqual([reserve(1)]);
    expect(reopened.problems[0]).toMatch(/torn/);
    reopened.log.append(reserve(3));
    reopened.log.close();
    expect(FiscalLog.open(dir).records).toEqual([reserve(1), reserve(3)]);
  });

  it('[NUM7] keeps a corrupt file aside and continues from the last good record', () => {
    const dir = fresh();
    const { log } = FiscalLog.open(dir);
    log.append(reserve(1));
    log.append(reserve(2));
    log.close();
    const path = join(dir, 'fiscal.log');
    const bytes = readFileSync(path);
    const second = bytes.readUInt32BE(0) + 8;
    bytes[second + 12] = (bytes[second + 12] ?? 0) ^ 0xff;
    writeFileSync(path, bytes);
    const reopened = FiscalLog.open(dir);
    expect(reopened.records).toEqual([reserve(1)]);
    expect(reopened.problems.join(' ')).toMatch(/checksum/);
    expect(readdirSync(dir).some((f) => f.startsWith('fiscal.log.aside-'))).toBe(true);
    reopened.log.close();
  });

  it('[NUM7] refuses garbage that is not a frame at all without crashing', () => {
    const dir = fresh();
    appendFileSync(join(dir, 'fiscal.log'), 'hello, this is not a log');
    const opened = FiscalLog.open(dir);
    expect(opened.records).toEqual([]);
    expect(opened.problems.length).toBeGreaterThan(0);
    opened.log.close();
  });
});
