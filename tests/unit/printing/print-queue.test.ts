import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Printer } from '../../../src/domain/printer.js';
import type { SendOutcome } from '../../../src/printing/connections.js';
import { PrintQueue, type NewPrintJob, type PrintJob } from '../../../src/printing/print-queue.js';
import { escPosText } from '../../support/fake-printer.js';
import { tempDir } from '../../support/processes.js';

const printers: Printer[] = [
  {
    id: 'cocina',
    name: 'Cocina',
    role: 'station',
    connection: { type: 'tcp', host: '127.0.0.1', port: 9 },
    columns: 42,
  },
  {
    id: 'barra',
    name: 'Barra',
    role: 'station',
    connection: { type: 'tcp', host: '127.0.0.1', port: 10 },
    columns: 32,
  },
];
const job = (title: string, printerId = 'cocina'): NewPrintJob => ({
  kind: 'comanda',
  printerId,
  title,
  document: { title, rows: [{ kind: 'text', text: title }], cut: true, pulse: false },
});

/** A printer that answers as told: each call takes the next outcome (ok once the list is empty). */
function scriptedSend(outcomes: SendOutcome[]) {
  const sent: { port: number; text: string }[] = [];
  const send = (connection: Printer['connection'], bytes: Uint8Array) => {
    const outcome = outcomes.shift() ?? { ok: true };
    if (connection.type === 'tcp') sent.push({ port: connection.port, text: escPosText(bytes) });
    return Promise.resolve(outcome);
  };
  return { sent, send };
}
const refused: SendOutcome = {
  ok: false,
  reason: 'printer-unreachable',
  message: 'ECONNREFUSED',
  uncertain: false,
};
const broken: SendOutcome = {
  ok: false,
  reason: 'printer-send-failed',
  message: 'ECONNRESET',
  uncertain: true,
};

const until = async (check: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});
function queueWith(send: ReturnType<typeof scriptedSend>['send'], dir = tempDir('caja-print-')) {
  dirs.push(dir);
  const queue = new PrintQueue({
    dir: dir.path,
    printers: () => printers,
    now: Date.now,
    random: () => 0,
    send,
    backoff: { initialMs: 20, maxMs: 80 },
  });
  return { queue, dir };
}

describe('durable print jobs (PRN5)', () => {
  it('[PRN5] a job is on disk before its first byte is sent, and done once the printer took it', async () => {
    let onDisk: PrintJob[] = [];
    const dir = tempDir('caja-print-');
    dirs.push(dir);
    const queue = new PrintQueue({
      dir: dir.path,
      printers: () => printers,
      now: Date.now,
      random: () => 0,
      send: () => {
        onDisk = readdirSync(dir.path).map(
          (n) => JSON.parse(readFileSync(join(dir.path, n), 'utf8')) as PrintJob,
        );
        return Promise.resolve({ ok: true });
      },
    });
    const queued = queue.enqueue(job('Mesa 1'));
    await until(() => queue.get(queued.id)?.status === 'done');
    expect(onDisk).toMatchObject([{ id: queued.id, status: 'sending', attempts: 1 }]);
    const stored = JSON.parse(readFileSync(join(dir.path, `${queued.id}.json`), 'utf8')) as PrintJob;
    expect(stored.status).toBe('done');
    queue.close();
  });

  it('[PRN5] jobs queued back to back for an idle printer are each sent once, in order', async () => {
    const printer = scriptedSend([]);
    const { queue } = queueWith(printer.send);
    const jobs = ['A', 'B', 'C'].map((t) => queue.enqueue(job(t)));
    await until(() => jobs.every((j) => queue.get(j.id)?.status === 'done'));
    await new Promise((r) => setTimeout(r, 50));
    expect(printer.sent.map((s) => s.text.trim())).toEqual(['A', 'B', 'C']);
    queue.close();
  });

  it('[PRN5] while the printer refuses, the job waits and is retried with backoff; it prints exactly once, in order with the next', async () => {
    const printer = scriptedSend([refused, refused, refused]);
    const { queue } = queueWith(printer.send);
    const a = queue.enqueue(job('A'));
    const b = queue.enqueue(job('B'));
    await until(() => queue.get(b.id)?.status === 'done');
    expect(printer.sent.map((s) => s.text.trim())).toEqual(['A', 'A', 'A', 'A', 'B']);
    expect(queue.get(a.id)).toMatchObject({ status: 'done', attempts: 4, uncertain: false });
    expect(queue.summary()).toEqual([]);
    queue.close();
  });

  it('[PRN5] a failing printer shows in the summary with its queued jobs by kind; the other printer is not held up', async () => {
    const printer = scriptedSend([refused]);
    const dir = tempDir('caja-print-');
    dirs.push(dir);
    const queue = new PrintQueue({
      dir: dir.path,
      printers: () => printers,
      now: Date.now,
      random: () => 0,
      send: printer.send,
      backoff: { initialMs: 60_000, maxMs: 60_000 },
    });
    const a = queue.enqueue(job('A'));
    queue.enqueue(job('A2'));
    await until(() => queue.get(a.id)?.lastError !== undefined);
    const other = queue.enqueue(job('Barra 1', 'barra'));
    await until(() => queue.get(other.id)?.status === 'done');
    expect(queue.summary()).toMatchObject([
      {
        printerId: 'cocina',
        name: 'Cocina',
        queued: 2,
        byKind: { comanda: 2 },
        failing: true,
        lastError: { reason: 'printer-unreachable' },
      },
    ]);
    // A manager retries now, without waiting for the backoff.
    expect(queue.retry(a.id).ok).toBe(true);
    await until(() => queue.summary().length === 0);
    queue.close();
  });

  it('[PRN5] a send that broke after bytes left is resent marked REIMPRESIÓN', async () => {
    const printer = scriptedSend([broken]);
    const { queue } = queueWith(printer.send);
    const a = queue.enqueue(job('Mesa 4'));
    await until(() => queue.get(a.id)?.status === 'done');
    expect(printer.sent[0]?.text).not.toContain('REIMPRESIÓN');
    expect(printer.sent[1]?.text).toContain('*** REIMPRESIÓN ***');
    queue.close();
  });

  it('[PRN5] after a crash in the middle of a send, the job is sent again at start, marked REIMPRESIÓN; unreadable job files are kept aside and counted', async () => {
    const dir = tempDir('caja-print-');
    dirs.push(dir);
    const hung = new PrintQueue({
      dir: dir.path,
      printers: () => printers,
      now: Date.now,
      random: () => 0,
      send: () => new Promise<SendOutcome>(() => undefined),
    });
    const a = hung.enqueue(job('Mesa 9'));
    hung.close();
    writeFileSync(join(dir.path, '00000000-0000-4000-8000-000000000000.json'), '{"torn":');
    const printer = scriptedSend([]);
    const { queue } = queueWith(printer.send, dir);
    await until(() => queue.get(a.id)?.status === 'done');
    expect(printer.sent).toHaveLength(1);
    expect(printer.sent[0]?.text).toContain('REIMPRESIÓN');
    expect(queue.unreadable).toEqual(['00000000-0000-4000-8000-000000000000.json']);
    expect(readdirSync(dir.path)).toContain('00000000-0000-4000-8000-000000000000.json.unreadable');
    queue.close();
  });

  it('[PRN5] a manager redirects a waiting job to another printer (laid out at its width) or cancels it; finished jobs cannot be changed', async () => {
    const printer = scriptedSend([refused]);
    const dir = tempDir('caja-print-');
    dirs.push(dir);
    const queue = new PrintQueue({
      dir: dir.path,
      printers: () => printers,
      now: Date.now,
      random: () => 0,
      send: printer.send,
      backoff: { initialMs: 60_000, maxMs: 60_000 },
    });
    const a = queue.enqueue(job('Redirigida'));
    const b = queue.enqueue(job('Cancelada'));
    await until(() => queue.get(a.id)?.lastError !== undefined);
    expect(queue.cancel(b.id)).toMatchObject({ ok: true, value: { status: 'cancelled' } });
    expect(queue.redirect(a.id, 'nowhere')).toMatchObject({ ok: false, reason: 'unknown-printer' });
    const moved = queue.redirect(a.id, 'barra');
    expect(moved).toMatchObject({ ok: true, value: { printerId: 'barra', redirectedFrom: 'cocina' } });
    await until(() => queue.get(a.id)?.status === 'done');
    expect(printer.sent.map((s) => [s.port, s.text.trim()])).toEqual([
      [9, 'Redirigida'],
      [10, 'Redirigida'],
    ]);
    expect(queue.cancel(b.id)).toMatchObject({ ok: false, reason: 'print-job-finished' });
    queue.close();
  });
});
