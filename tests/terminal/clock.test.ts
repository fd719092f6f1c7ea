import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/host/paths.js';
import { commandId, eventually, startStore, type TestStore, type TestTerminal } from '../support/store.js';
import { setUp } from '../support/upload.js';
import { tempDir } from '../support/processes.js';

/**
 * CLK1–CLK3 with real processes: caja-1's wall clock is set back an hour while it runs (a preload
 * shifts its Date as an administrator changing the system time would). It refuses to issue behind
 * its own last invoice, caja-2 shows the skew, and sync from caja-1 does not stall on
 * automerge-repo's wall-clock throttle; set right, it sells again.
 */
let store: TestStore;
let c1: TestTerminal;
let c2: TestTerminal;
const clockDir = tempDir('caja-clock-');
const clockFile = join(clockDir.path, 'offset');
const preload = pathToFileURL(resolve(projectRoot(), 'dist/tests/support/clock-shift.js')).href;

beforeAll(async () => {
  writeFileSync(clockFile, '0');
  store = await startStore(['caja-1', 'caja-2'], {
    env: { 'caja-1': { NODE_OPTIONS: `--import ${preload}`, CAJA_TEST_CLOCK_FILE: clockFile } },
  });
  [c1, c2] = store.terminals as [TestTerminal, TestTerminal];
  await setUp(store);
}, 180_000);

afterAll(async () => {
  await store.stop();
  clockDir.remove();
});

interface Health {
  warnings: string[];
  clock: { behindOwnLastEntrySeconds: number; skewedPeers: { terminalId: string; skewSeconds: number }[] };
  peers: { terminalId: string; clockSkewSeconds: number | null }[];
}
const health = async (t: TestTerminal) => (await t.api.call<Health>('GET', '/api/health')).body;
const sell = (t: TestTerminal) =>
  t.api.call<{ error?: string }>('POST', '/api/sales', {
    commandId: commandId('clock'),
    lines: [{ sku: 'BEB-001', quantity: 1 }],
    payments: [{ method: 'cash', amount: 10_000 }],
  });

describe('a terminal whose clock is set back an hour (CLK1–CLK3)', () => {
  it('refuses to issue behind its last invoice, its peer shows the skew, and its changes still reach the peer', async () => {
    expect((await sell(c1)).status).toBe(201);
    writeFileSync(clockFile, String(-3_600_000));
    await eventually(async () => {
      expect((await health(c1)).clock.behindOwnLastEntrySeconds).toBeGreaterThan(3_500);
    }, 10_000);

    const refused = await sell(c1);
    expect({ status: refused.status, error: refused.body.error }).toEqual({
      status: 409,
      error: 'clock-behind',
    });
    expect((await health(c1)).warnings).toContain('clock-behind');

    // caja-2 learns caja-1's clock from its keepalive pings (every 10 s) and warns.
    await eventually(async () => {
      const h = await health(c2);
      expect(h.warnings).toContain('peer-clock-skew');
      const skew = h.clock.skewedPeers.find((p) => p.terminalId === 'caja-1')?.skewSeconds ?? 0;
      expect(Math.abs(skew + 3_600)).toBeLessThan(60);
    }, 40_000);

    // A change made on caja-1 after the jump still reaches caja-2 at once.
    expect((await c1.api.call('POST', '/api/tables/mesa-3/open', { diners: 2 })).status).toBe(201);
    await eventually(async () => {
      const floor = await c2.api.call<{ tables: { table: { id: string }; state: string }[] }>(
        'GET',
        '/api/floor',
      );
      expect(floor.body.tables.find((t) => t.table.id === 'mesa-3')?.state).toBe('occupied');
    }, 20_000);

    // Set right: it sells again, and the skew warning goes.
    writeFileSync(clockFile, '0');
    await eventually(async () => {
      expect((await sell(c1)).status).toBe(201);
    }, 10_000);
    await eventually(async () => {
      expect((await health(c2)).warnings).not.toContain('peer-clock-skew');
    }, 40_000);
  }, 180_000);
});
