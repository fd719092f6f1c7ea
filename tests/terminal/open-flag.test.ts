import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provision } from '../../src/host/provision.js';
import { spawnCaja, startCloud, tempDir, waitForLine, type CloudProcess } from '../support/processes.js';
import { freePort } from '../support/proxy.js';
import { eventually } from '../support/store.js';

/**
 * `caja terminal --open` as a real process, with a fake browser first on PATH: a shell script
 * named `chromium` that writes the arguments it was started with to a file.
 */
let dir: ReturnType<typeof tempDir>;
let cloud: CloudProcess;
let data: string;

beforeAll(async () => {
  dir = tempDir('caja-open-');
  cloud = await startCloud(join(dir.path, 'cloud.db'));
  data = join(dir.path, 'caja-1');
  const result = await provision({
    cloudUrl: cloud.url,
    token: cloud.token,
    storeId: 'demo',
    terminalId: 'caja-1',
    dataDir: data,
  });
  if (!result.ok) throw new Error(result.message);
}, 180_000);

afterAll(async () => {
  await cloud.process.stop();
  dir.remove();
});

describe('caja terminal --open', () => {
  it('starts the browser found on PATH in app mode on the terminal’s URL, detached', async () => {
    const bin = join(dir.path, 'bin');
    mkdirSync(bin);
    const argsFile = join(dir.path, 'browser-args.txt');
    writeFileSync(join(bin, 'chromium'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\n`);
    chmodSync(join(bin, 'chromium'), 0o755);
    const port = await freePort();
    const terminal = spawnCaja(
      [
        'terminal',
        '--data',
        data,
        '--port',
        String(port),
        '--lan-port',
        String(await freePort()),
        '--no-mdns',
        '--open',
      ],
      { env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` } },
    );
    try {
      await waitForLine(terminal, /opening (\S+)/, 30_000);
      await eventually(() => {
        expect(existsSync(argsFile)).toBe(true);
        expect(readFileSync(argsFile, 'utf8')).toContain('--no-default-browser-check');
        return Promise.resolve();
      }, 10_000);
      const args = readFileSync(argsFile, 'utf8').trim().split('\n');
      expect(args).toContain(`--app=http://127.0.0.1:${port}/`);
      expect(args).toContain(`--user-data-dir=${join(data, 'browser-profile')}`);
      expect(args.includes('--no-sandbox')).toBe(process.getuid?.() === 0);
      // The terminal keeps serving: the screen it opened (never cached, so an update shows at the
      // next load) and its hashed assets (cached for good).
      expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-cache');
      const asset = /src="\.?(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1] ?? '/assets/missing.js';
      const script = await fetch(`http://127.0.0.1:${port}${asset}`);
      expect(script.status).toBe(200);
      expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(1000);
      expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    } finally {
      await terminal.stop();
    }
  }, 60_000);
});
