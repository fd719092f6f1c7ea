import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { parseFlags, UsageError } from '../cli-args.js';
import { projectRoot } from '../paths.js';
import { ConfigError, readTerminalConfig } from '../terminal-config.js';
import { systemdUnit, unitName } from '../systemd-unit.js';
import { parseTerminalFlags } from './terminal.js';

const serviceFlags = z.object({
  data: z.string({ error: 'required: the data directory written by caja provision' }).min(1),
  'unit-dir': z.string().min(1).default('/etc/systemd/system'),
  // Write (or delete) the unit only: for images built offline, and for tests without systemd.
  'no-enable': z.boolean().default(false),
  user: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'a user name such as caja')
    .optional(),
});

const FLAGS = {
  data: { type: 'string' },
  'unit-dir': { type: 'string' },
  'no-enable': { type: 'boolean' },
  user: { type: 'string' },
} as const;

/**
 * `caja service install|remove --data <dir>` (SVC1–SVC3): the systemd unit that starts a
 * terminal with the PC and restarts it when it fails. Flags after `--` go to `caja terminal`.
 */
export function serviceCommand(argv: readonly string[]): Promise<void> {
  const [action, ...rest] = argv;
  if (action === 'install') install(rest);
  else if (action === 'remove') remove(rest);
  else
    throw new UsageError(
      'invalid-flag',
      `caja service install|remove --data <dir>: unknown action ${JSON.stringify(action ?? '')}`,
    );
  return Promise.resolve();
}

function install(argv: readonly string[]): void {
  const split = argv.indexOf('--');
  const own = split === -1 ? argv : argv.slice(0, split);
  const terminalArgs = split === -1 ? [] : argv.slice(split + 1);
  const flags = parseFlags(own, { ...FLAGS }, serviceFlags);
  const dataDir = resolve(flags.data);
  const terminal = provisionedTerminal(dataDir);
  checkTerminalArgs(terminalArgs);
  const unitDir = existingDir(flags['unit-dir']);
  const name = unitName(terminal.id);
  const path = join(unitDir, name);
  const existed = existsSync(path);
  const text = systemdUnit({
    terminalId: terminal.id,
    terminalName: terminal.name,
    nodePath: process.execPath,
    cajaBin: resolve(projectRoot(), 'bin/caja.js'),
    dataDir,
    terminalArgs,
    ...(flags.user === undefined ? {} : { user: flags.user }),
  });
  writeAtomically(path, text);
  if (!flags['no-enable']) {
    try {
      systemctl('daemon-reload');
      systemctl('enable', '--now', name);
    } catch (error) {
      // SVC2: a unit that could not be enabled is not left behind to start at the next boot.
      rmSync(path, { force: true });
      try {
        systemctl('daemon-reload');
      } catch {
        // Already failing: the first error is the one to tell.
      }
      throw error;
    }
  }
  console.log(
    `caja service: ${existed ? 'updated' : 'installed'} ${path}` +
      (flags['no-enable']
        ? ` (not enabled: run systemctl daemon-reload && systemctl enable --now ${name})`
        : `; enabled and started ${name}`),
  );
}

function remove(argv: readonly string[]): void {
  const flags = parseFlags(argv, { ...FLAGS }, serviceFlags.omit({ user: true }));
  const terminal = provisionedTerminal(resolve(flags.data));
  const name = unitName(terminal.id);
  const path = join(existingDir(flags['unit-dir']), name);
  if (!existsSync(path)) throw new UsageError('not-installed', `${path} does not exist: nothing to remove`);
  if (!flags['no-enable']) systemctl('disable', '--now', name);
  rmSync(path, { force: true });
  if (!flags['no-enable']) systemctl('daemon-reload');
  console.log(`caja service: removed ${path}${flags['no-enable'] ? '' : `; stopped and disabled ${name}`}`);
}

/** SVC1: only a provisioned terminal gets a unit (its id names the unit). */
function provisionedTerminal(dataDir: string): { id: string; name: string } {
  try {
    const { terminal } = readTerminalConfig(dataDir).config.provisioning;
    return { id: terminal.id, name: terminal.name };
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.reason, error.message);
    throw error;
  }
}

/**
 * The flags the unit will start `caja terminal` with, checked now rather than at the next boot.
 * `--open` is refused: a system service has no desktop to open a window on.
 */
function checkTerminalArgs(terminalArgs: readonly string[]): void {
  if (terminalArgs.includes('--data'))
    throw new UsageError('invalid-flag', 'the unit names --data itself; give it before --');
  if (terminalArgs.includes('--open'))
    throw new UsageError(
      'open-needs-desktop',
      'the service runs the host only; open the screen at log-on instead (docs/hardware.md)',
    );
  parseTerminalFlags(['--data', '.', ...terminalArgs]);
}

function existingDir(dir: string): string {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory())
    throw new UsageError('unit-dir-missing', `${abs} is not a directory (is systemd installed?)`);
  return abs;
}

/** Temp file, fsync, rename: systemd never reads half a unit. */
function writeAtomically(path: string, text: string): void {
  const temp = `${path}.tmp-${process.pid}`;
  try {
    const fd = openSync(temp, 'w', 0o644);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM')
      throw new UsageError('permission-denied', `cannot write ${path}: run as root (sudo)`);
    throw error;
  }
}

/** SVC2: systemctl missing or failing is said with a reason, never half done silently. */
function systemctl(...args: string[]): void {
  const run = spawnSync('systemctl', args, { encoding: 'utf8', timeout: 60_000 });
  if (run.error) {
    const code = (run.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new UsageError(
        'systemctl-missing',
        'systemctl not found: this PC does not run systemd (use --no-enable to write the unit only)',
      );
    throw new UsageError('systemctl-failed', `systemctl ${args.join(' ')}: ${run.error.message}`);
  }
  if (run.status !== 0) {
    const said = `${run.stderr}${run.stdout}`.trim().split('\n').slice(0, 3).join(' / ');
    throw new UsageError(
      'systemctl-failed',
      `systemctl ${args.join(' ')} exited with ${run.status ?? run.signal ?? '?'}${said ? `: ${said}` : ''}`,
    );
  }
}
