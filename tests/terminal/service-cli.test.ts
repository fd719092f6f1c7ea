import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provision } from '../../src/host/provision.js';
import { CAJA_BIN, spawnCaja, startCloud, tempDir, type CloudProcess } from '../support/processes.js';

/** `caja service install|remove` as real processes, writing into a temporary unit directory. */
const dir = tempDir('caja-service-');
const data = join(dir.path, 'caja 1');
const units = join(dir.path, 'units');
const unitPath = join(units, 'caja-terminal-caja-1.service');
let cloud: CloudProcess;

beforeAll(async () => {
  cloud = await startCloud(join(dir.path, 'cloud.db'));
  const result = await provision({
    cloudUrl: cloud.url,
    token: cloud.token,
    storeId: 'demo',
    terminalId: 'caja-1',
    dataDir: data,
  });
  if (!result.ok) throw new Error(result.message);
  mkdirSync(units);
}, 60_000);

afterAll(async () => {
  await cloud.process.stop();
  dir.remove();
});

async function caja(
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): Promise<{ code: number | string; output: string }> {
  const p = spawnCaja(args, env ? { env } : {});
  const code = await p.exited;
  return { code, output: p.output() };
}

/** A `systemctl` on PATH that records its arguments and exits with `status`. */
function fakeSystemctl(name: string, status: number): { env: NodeJS.ProcessEnv; calls: () => string[] } {
  const bin = join(dir.path, name);
  mkdirSync(bin);
  const log = join(bin, 'calls.txt');
  writeFileSync(
    join(bin, 'systemctl'),
    `#!/bin/sh\necho "$*" >> '${log}'\n[ ${status} -ne 0 ] && echo 'Failed to connect to bus' >&2\nexit ${status}\n`,
  );
  chmodSync(join(bin, 'systemctl'), 0o755);
  return {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
  };
}

function hasSystemdAnalyze(): boolean {
  try {
    execFileSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('caja service', () => {
  it('[SVC1] install --no-enable writes the unit of the terminal; remove deletes it', async () => {
    const installed = await caja([
      'service',
      'install',
      '--data',
      data,
      '--unit-dir',
      units,
      '--no-enable',
      '--',
      '--peer',
      'ws://192.168.1.12:6301',
      '--lan-host',
      '192.168.1.11',
    ]);
    expect(installed.output).toContain(`installed ${unitPath} (not enabled`);
    expect(installed.code).toBe(0);
    const unit = readFileSync(unitPath, 'utf8');
    expect(unit).toContain(
      `ExecStart="${process.execPath}" "${CAJA_BIN}" "terminal" "--data" "${data}" ` +
        '"--peer" "ws://192.168.1.12:6301" "--lan-host" "192.168.1.11"\n',
    );
    expect(unit.split('\n')).toEqual(expect.arrayContaining(['Restart=on-failure', 'RestartSec=5']));
    // Nothing else in the unit directory: no temp file left.
    expect(readdirSync(units)).toEqual(['caja-terminal-caja-1.service']);
    if (hasSystemdAnalyze()) execFileSync('systemd-analyze', ['verify', unitPath], { stdio: 'pipe' });

    const again = await caja(['service', 'install', '--data', data, '--unit-dir', units, '--no-enable']);
    expect(again.output).toContain(`updated ${unitPath}`);
    expect(readFileSync(unitPath, 'utf8')).not.toContain('--peer');

    const removed = await caja(['service', 'remove', '--data', data, '--unit-dir', units, '--no-enable']);
    expect(removed.output).toContain(`removed ${unitPath}`);
    expect(removed.code).toBe(0);
    expect(readdirSync(units)).toEqual([]);
    const twice = await caja(['service', 'remove', '--data', data, '--unit-dir', units, '--no-enable']);
    expect([twice.code, twice.output]).toEqual([2, expect.stringContaining('not-installed')]);
  }, 60_000);

  it('[SVC1] enabling runs daemon-reload and enable --now; remove disables it', async () => {
    const systemctl = fakeSystemctl('systemctl-ok', 0);
    const installed = await caja(['service', 'install', '--data', data, '--unit-dir', units], systemctl.env);
    expect(installed.code).toBe(0);
    expect(systemctl.calls()).toEqual(['daemon-reload', 'enable --now caja-terminal-caja-1.service']);
    const removed = await caja(['service', 'remove', '--data', data, '--unit-dir', units], systemctl.env);
    expect(removed.code).toBe(0);
    expect(systemctl.calls().slice(2)).toEqual([
      'disable --now caja-terminal-caja-1.service',
      'daemon-reload',
    ]);
    expect(existsSync(unitPath)).toBe(false);
  }, 60_000);

  it('[SVC2] systemctl failing or missing is said with a reason and leaves no unit behind', async () => {
    const failing = fakeSystemctl('systemctl-fails', 1);
    const failed = await caja(['service', 'install', '--data', data, '--unit-dir', units], failing.env);
    expect(failed.code).toBe(2);
    expect(failed.output).toMatch(
      /caja service: systemctl-failed: systemctl daemon-reload exited with 1: Failed to connect/,
    );
    expect(readdirSync(units)).toEqual([]);

    const nowhere = join(dir.path, 'empty-path');
    mkdirSync(nowhere);
    const missing = await caja(['service', 'install', '--data', data, '--unit-dir', units], {
      ...process.env,
      PATH: nowhere,
    });
    expect([missing.code, missing.output]).toEqual([
      2,
      expect.stringContaining('caja service: systemctl-missing:'),
    ]);
    expect(readdirSync(units)).toEqual([]);
  }, 60_000);

  it.each<[string, string[], RegExp]>([
    ['no action', [], /invalid-flag: .*unknown action ""/],
    ['an unknown action', ['start', '--data', 'DATA'], /invalid-flag: .*unknown action "start"/],
    ['no --data', ['install', '--unit-dir', 'UNITS'], /invalid-flag-value: --data: required/],
    [
      'an unknown flag',
      ['install', '--data', 'DATA', '--restart', 'always'],
      /invalid-flag: Unknown option '--restart'/,
    ],
    ['a bad user name', ['install', '--data', 'DATA', '--user', 'Root Admin'], /invalid-flag-value: --user/],
    [
      'a bad terminal flag',
      ['install', '--data', 'DATA', '--unit-dir', 'UNITS', '--', '--peer', 'http://x'],
      /invalid-flag-value: --peer/,
    ],
    ['--open', ['install', '--data', 'DATA', '--unit-dir', 'UNITS', '--', '--open'], /open-needs-desktop/],
  ])(
    '[SVC3] %s is refused with a reason, exit 2',
    async (_label, args, message) => {
      const run = await caja([
        'service',
        ...args.map((a) => (a === 'DATA' ? data : a === 'UNITS' ? units : a)),
      ]);
      expect(run.code).toBe(2);
      expect(run.output).toMatch(message);
      expect(readdirSync(units)).toEqual([]);
    },
    30_000,
  );

  it('[SVC3] a directory that is not a provisioned terminal, or no unit directory, is refused', async () => {
    const empty = join(dir.path, 'not-a-terminal');
    mkdirSync(empty);
    const unprovisioned = await caja([
      'service',
      'install',
      '--data',
      empty,
      '--unit-dir',
      units,
      '--no-enable',
    ]);
    expect([unprovisioned.code, unprovisioned.output]).toEqual([
      2,
      expect.stringContaining('not-provisioned'),
    ]);
    const noUnits = await caja([
      'service',
      'install',
      '--data',
      data,
      '--unit-dir',
      join(dir.path, 'no-such-dir'),
      '--no-enable',
    ]);
    expect([noUnits.code, noUnits.output]).toEqual([2, expect.stringContaining('unit-dir-missing')]);
    expect(readdirSync(units)).toEqual([]);
  }, 30_000);
});
