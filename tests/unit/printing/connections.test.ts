import { execFileSync } from 'node:child_process';
import { createReadStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sendToPrinter } from '../../../src/printing/connections.js';
import { FakePrinter } from '../../support/fake-printer.js';
import { tempDir } from '../../support/processes.js';
import { freePort } from '../../support/proxy.js';

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});
const bytes = new Uint8Array(Buffer.from('\x1b@hola\n'));

describe('printer connections (PRN4)', () => {
  it('[PRN4] raw TCP: a printer that takes the bytes is ok; a port nobody listens on printed nothing', async () => {
    const printer = await new FakePrinter().start();
    try {
      expect(
        await sendToPrinter({ type: 'tcp', host: '127.0.0.1', port: printer.port }, bytes, {
          timeoutMs: 5_000,
        }),
      ).toEqual({ ok: true });
      expect(printer.jobs.map((j) => j.bytes.toString())).toEqual(['\x1b@hola\n']);
    } finally {
      await printer.stop();
    }
    const closed = await freePort();
    expect(
      await sendToPrinter({ type: 'tcp', host: '127.0.0.1', port: closed }, bytes, { timeoutMs: 5_000 }),
    ).toMatchObject({
      ok: false,
      reason: 'printer-unreachable',
      uncertain: false,
    });
  });

  it('[PRN4] a device file: a FIFO with a reader gets every byte; without a reader, missing, or a regular file, nothing is written', async () => {
    const dir = tempDir('caja-dev-');
    dirs.push(dir);
    const fifo = join(dir.path, 'lp0');
    execFileSync('mkfifo', [fifo]);
    // Nobody reads it: a printer switched off.
    expect(await sendToPrinter({ type: 'device', path: fifo }, bytes, { timeoutMs: 2_000 })).toMatchObject({
      ok: false,
      reason: 'printer-unreachable',
      uncertain: false,
    });
    const chunks: Buffer[] = [];
    const reader = createReadStream(fifo);
    const done = new Promise<void>((resolve) => {
      reader.on('data', (c) => chunks.push(Buffer.from(c)));
      reader.on('end', () => {
        resolve();
      });
    });
    // The reader's open waits for a writer (and counts as a reader meanwhile): try until it is there.
    let outcome = await sendToPrinter({ type: 'device', path: fifo }, bytes, { timeoutMs: 2_000 });
    for (let i = 0; i < 100 && !outcome.ok; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      outcome = await sendToPrinter({ type: 'device', path: fifo }, bytes, { timeoutMs: 2_000 });
    }
    expect(outcome).toEqual({ ok: true });
    await done;
    expect(Buffer.concat(chunks).toString()).toBe('\x1b@hola\n');

    expect(
      await sendToPrinter({ type: 'device', path: join(dir.path, 'nada') }, bytes, { timeoutMs: 2_000 }),
    ).toMatchObject({
      ok: false,
      reason: 'printer-unreachable',
    });
    const regular = join(dir.path, 'archivo');
    writeFileSync(regular, 'antes');
    expect(await sendToPrinter({ type: 'device', path: regular }, bytes, { timeoutMs: 2_000 })).toMatchObject(
      {
        ok: false,
        reason: 'not-a-device',
      },
    );
  });

  it('[PRN4] a CUPS queue without CUPS installed waits with a clear reason', async () => {
    const outcome = await sendToPrinter({ type: 'cups', queue: 'TM-T20' }, bytes, { timeoutMs: 5_000 });
    if (outcome.ok) throw new Error('this machine printed to a CUPS queue named TM-T20');
    expect(outcome.reason).toBe('cups-unavailable');
    expect(outcome.uncertain).toBe(false);
  });
});
