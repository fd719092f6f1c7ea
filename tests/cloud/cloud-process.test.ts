import { existsSync, readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudClient } from '../../src/upload/cloud-client.js';
import { makeInvoice } from '../support/invoices.js';
import { spawnCaja, startCloud, tempDir, waitForLine } from '../support/processes.js';
import { certifiedSigners, sealAll } from '../support/signing.js';

let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => {
  dir.remove();
});

describe('caja cloud, the process', () => {
  it('generates a token when none is given, writes it to <db>.token (0600) and keeps it across restarts', async () => {
    const db = `${dir.path}/gen/cloud.db`;
    const first = spawnCaja(['cloud', '--port', '0', '--db', db, '--seed', 'demo']);
    const [, url, token] = await waitForLine(first, /listening on (\S+)\nstore "demo" token: (\S+)/);
    expect(readFileSync(`${db}.token`, 'utf8').trim()).toBe(token);
    expect(statSync(`${db}.token`).mode & 0o777).toBe(0o600);
    const ok = await new CloudClient({ baseUrl: url ?? '', token: token ?? '' }).provisioning(
      'demo',
      'caja-1',
    );
    expect(ok.ok).toBe(true);
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = spawnCaja(['cloud', '--port', '0', '--db', db, '--seed', 'demo']);
    const [, , again] = await waitForLine(second, /listening on (\S+)\nstore "demo" token: (\S+)/);
    expect(again).toBe(token);
    await second.stop();
  });

  it('never loses an acknowledged upload when killed with SIGKILL', async () => {
    const db = `${dir.path}/kill/cloud.db`;
    const cloud = await startCloud(db);
    const client = new CloudClient({ baseUrl: cloud.url, token: cloud.token });
    const signers = await certifiedSigners(client, 'demo', ['caja-1']);
    const items = sealAll(
      signers,
      Array.from({ length: 200 }, (_, i) => makeInvoice({ consecutive: i + 1 })),
    );
    const res = await client.uploadOfflineSales('demo', items);
    expect(res).toMatchObject({ ok: true, value: { summary: { created: 200 } } });
    expect(await cloud.process.stop('SIGKILL')).toBe('SIGKILL');

    const restarted = await startCloud(db);
    const again = new CloudClient({ baseUrl: restarted.url, token: restarted.token });
    const page = await again.offlineSales('demo', { limit: 1000 });
    expect(page.ok && page.value.items.map((s) => s.document.id)).toEqual(items.map((i) => i.id));
    expect(await again.uploadOfflineSales('demo', items)).toMatchObject({
      ok: true,
      value: { summary: { duplicate: 200 } },
    });
    await restarted.process.stop();
  });

  it.each([
    [['cloud', '--port', 'abc', '--db', 'x.db'], 'invalid-flag-value', '--port'],
    [['cloud', '--port', '70000', '--db', 'x.db'], 'invalid-flag-value', '--port'],
    [['cloud', '--db', 'x.db', '--seed', 'other'], 'invalid-flag-value', '--seed'],
    [['cloud', '--db', 'x.db', '--token', 'short'], 'invalid-flag-value', '--token'],
    [['cloud', '--bogus'], 'invalid-flag', 'bogus'],
    [['cloud'], 'invalid-flag-value', '--db'],
    [['frobnicate'], 'unknown-command', 'frobnicate'],
  ])('caja %j exits 2 with reason %s', async (args, reason, mention) => {
    const p = spawnCaja(args);
    expect(await p.exited).toBe(2);
    expect(p.output()).toContain(reason);
    expect(p.output()).toContain(mention);
    expect(existsSync('x.db')).toBe(false);
  });

  it('explains a port already in use', async () => {
    const cloud = await startCloud(`${dir.path}/busy/cloud.db`);
    const port = new URL(cloud.url).port;
    const p = spawnCaja([
      'cloud',
      '--port',
      port,
      '--db',
      `${dir.path}/busy2/cloud.db`,
      '--seed',
      'demo',
      '--token',
      'another-token-0123456789',
    ]);
    expect(await p.exited).toBe(2);
    expect(p.output()).toContain('port-in-use');
    await cloud.process.stop();
  });
});
