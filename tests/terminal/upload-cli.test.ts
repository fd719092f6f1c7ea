import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnCaja } from '../support/processes.js';
import { startStore, type TestStore, type TestTerminal } from '../support/store.js';
import { expectAllUploaded, expectCloudHolds, sellMany, setUp } from '../support/upload.js';

/**
 * `caja upload --data <dir>` for support staff: refuses a data directory a terminal is running on,
 * joins the running terminals with --peer, sends every sale of the store once, and its
 * acknowledgements reach the terminals that keep running.
 */
let store: TestStore | undefined;

afterEach(async () => {
  await store?.stop();
  store = undefined;
});

async function caja(args: readonly string[]): Promise<{ code: number | string; output: string }> {
  const p = spawnCaja(args);
  const code = await Promise.race([
    p.exited,
    new Promise<string>((resolve) =>
      setTimeout(() => {
        resolve('timeout');
      }, 90_000),
    ),
  ]);
  if (code === 'timeout') await p.stop('SIGKILL');
  return { code, output: p.output() };
}

describe('caja upload (support staff)', () => {
  it('[UPL1] refuses a running terminal’s data directory, then uploads the whole store from a stopped one', async () => {
    store = await startStore(['caja-1', 'caja-2']);
    await setUp(store);
    const [c1, c2] = store.terminals as [TestTerminal, TestTerminal];
    const sold = [...(await sellMany(c1, 25)), ...(await sellMany(c2, 20))];

    // While caja-1 runs, its data directory is its own: nothing is opened, nothing is sent.
    const busy = await caja(['upload', '--data', c1.data]);
    expect(busy.code).toBe(2);
    expect(busy.output).toContain('data-dir-busy');
    expect(busy.output).toContain('caja terminal');

    // Flags are checked before anything is opened.
    const bad = await caja(['upload', '--data', c1.data, '--batch-size', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('invalid-flag-value');
    const missing = await caja(['upload']);
    expect(missing.code).toBe(2);
    expect(missing.output).toMatch(/invalid-flag-value: --data/);

    // Stopped: the data directory is free. caja-2 keeps running and is joined over the LAN.
    await store.kill(c1, 'SIGTERM');
    expect(existsSync(join(c1.data, 'caja.lock'))).toBe(false);
    const peer = `ws://127.0.0.1:${c2.lanPort}`;
    const dry = await caja(['upload', '--data', c1.data, '--peer', peer, '--dry-run']);
    expect(dry.code, dry.output).toBe(0);
    expect(dry.output).toContain('Pendientes de subir: 45');
    expect(dry.output).toContain('no se envió nada');

    const reportFile = join(store.dir.path, 'report.json');
    const run = await caja([
      'upload',
      '--data',
      c1.data,
      '--peer',
      peer,
      '--batch-size',
      '10',
      '--anyway',
      '--report',
      reportFile,
    ]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/subiendo 45 de 45/);
    expect(run.output).toContain('caja-1 25/25');
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
      store: { invoices: number; total: number };
      checkedAgainstCloud: boolean;
      differences: { missingInCloud: string[]; unknownHere: string[] };
    };
    expect(report.store.invoices).toBe(45);
    expect(report.store.total).toBe(sold.reduce((s, i) => s + i.total, 0));
    expect(report).toMatchObject({
      checkedAgainstCloud: true,
      differences: { missingInCloud: [], unknownHere: [] },
    });
    await expectCloudHolds(store, sold, new Set());

    // A second run finds nothing pending and sends nothing twice.
    const again = await caja(['upload', '--data', c1.data, '--anyway']);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('Pendientes de subir: 0');
    await expectCloudHolds(store, sold, new Set());

    // The acknowledgements went into the uploads document: caja-1 restarted and caja-2 show none pending.
    await store.start(c1);
    await expectAllUploaded(store);
  }, 240_000);

  it('rejects a broken data directory with a reason, writing nothing', async () => {
    store = await startStore(['caja-1']);
    const [c1] = store.terminals as [TestTerminal];
    await store.kill(c1, 'SIGTERM');
    const config = join(c1.data, 'terminal.json');
    const original = readFileSync(config, 'utf8');
    // STO2: the configuration is kept twice; only when both copies are unreadable is it refused.
    writeFileSync(config, '{"configVersion": 1');
    writeFileSync(`${config}.bak`, '{"configVersion": 1');
    const broken = await caja(['upload', '--data', c1.data]);
    expect(broken.code).toBe(2);
    expect(broken.output).toContain('invalid-config');
    expect(existsSync(join(c1.data, 'caja.lock'))).toBe(false);
    writeFileSync(config, original);
    writeFileSync(`${config}.bak`, original);
    const missing = await caja(['upload', '--data', join(store.dir.path, 'nowhere')]);
    expect(missing.code).toBe(2);
    expect(missing.output).toContain('not-provisioned');
  }, 120_000);
});
