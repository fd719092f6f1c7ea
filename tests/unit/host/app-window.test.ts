import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  appWindowArgs,
  findAppBrowser,
  localUrl,
  openAppWindow,
  pathDirsOf,
} from '../../../src/host/app-window.js';
import { tempDir } from '../../support/processes.js';

let dir: ReturnType<typeof tempDir> | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});

describe('finding an app-mode browser', () => {
  it('looks for each browser in PATH order, preferring Chromium, then the fallbacks', () => {
    const present = new Set(['/opt/b/google-chrome', '/opt/c/chromium-browser', '/usr/bin/chromium']);
    const isExecutable = (p: string) => present.has(p);
    expect(findAppBrowser({ pathDirs: ['/opt/a', '/opt/b', '/opt/c'], isExecutable })).toBe(
      '/opt/c/chromium-browser',
    );
    expect(findAppBrowser({ pathDirs: ['/opt/a', '/opt/b'], isExecutable })).toBe('/opt/b/google-chrome');
    expect(findAppBrowser({ pathDirs: ['/opt/a'], isExecutable })).toBe('/usr/bin/chromium');
    expect(findAppBrowser({ pathDirs: ['/opt/a'], fallbackPaths: [], isExecutable })).toBeUndefined();
    expect(findAppBrowser({ pathDirs: [], fallbackPaths: ['/x/msedge'], isExecutable: () => true })).toBe(
      '/x/msedge',
    );
  });

  it('takes only executable files from real directories', () => {
    dir = tempDir('caja-browser-');
    const [a, b] = [join(dir.path, 'a'), join(dir.path, 'b')];
    mkdirSync(a);
    mkdirSync(b);
    writeFileSync(join(a, 'chromium'), '#!/bin/sh\n'); // not executable
    mkdirSync(join(a, 'google-chrome')); // a directory
    writeFileSync(join(b, 'microsoft-edge'), '#!/bin/sh\n');
    chmodSync(join(b, 'microsoft-edge'), 0o755);
    expect(findAppBrowser({ pathDirs: pathDirsOf(`${a}:${b}`), fallbackPaths: [] })).toBe(
      join(b, 'microsoft-edge'),
    );
  });

  it('opens the terminal in app mode with its own profile, without the sandbox only as root', () => {
    expect(appWindowArgs('http://127.0.0.1:5301/', '/data/browser-profile', false)).toEqual([
      '--app=http://127.0.0.1:5301/',
      '--user-data-dir=/data/browser-profile',
      '--no-first-run',
      '--no-default-browser-check',
      '--kiosk-printing',
    ]);
    expect(appWindowArgs('http://127.0.0.1:5301/', '/p', true)).toContain('--no-sandbox');
    expect(localUrl('0.0.0.0', 5301)).toBe('http://127.0.0.1:5301/');
    expect(localUrl('192.168.1.20', 5302)).toBe('http://192.168.1.20:5302/');
    expect(localUrl('::1', 5301)).toBe('http://[::1]:5301/');
  });

  it('without a browser says where to open the screen, in Spanish and English', () => {
    dir = tempDir('caja-browser-');
    const lines: string[] = [];
    const outcome = openAppWindow('http://127.0.0.1:5301/', join(dir.path, 'profile'), {
      env: { PATH: dir.path },
      fallbackPaths: [],
      log: (line) => lines.push(line),
    });
    expect(outcome).toEqual({ opened: false });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/no se encontró .*abra http:\/\/127\.0\.0\.1:5301\/ en un navegador/);
    expect(lines[1]).toMatch(
      /no Chromium, Chrome or Edge found; open http:\/\/127\.0\.0\.1:5301\/ in a browser/,
    );
  });
});
