/**
 * The systemd unit that starts a terminal with the PC (SVC1): pure text, written and enabled by
 * `caja service install` (commands/service.ts).
 */

/** One unit per terminal: two terminals' data directories on one PC get two units. */
export function unitName(terminalId: string): string {
  return `caja-terminal-${terminalId}.service`;
}

export interface UnitOptions {
  readonly terminalId: string;
  readonly terminalName: string;
  /** Absolute path of the node that runs the terminal. */
  readonly nodePath: string;
  /** Absolute path of bin/caja.js. */
  readonly cajaBin: string;
  /** Absolute data directory. */
  readonly dataDir: string;
  /** Further `caja terminal` flags (`--peer`, `--lan-host`, …), already checked. */
  readonly terminalArgs: readonly string[];
  /** Runs as this user; root when absent. */
  readonly user?: string;
}

/**
 * A word of ExecStart as systemd reads it: in double quotes, with `\` and `"` escaped, and the
 * specifier (`%`) and variable (`$`) characters doubled so a path holding them stays itself.
 */
export function execWord(word: string): string {
  const escaped = word
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replace(/%/g, '%%')
    .replace(/\$/g, '$$$$');
  return `"${escaped}"`;
}

/** A value on the right of `Key=` that is not a command line: only `%` is special there. */
function plainValue(value: string): string {
  return value.replace(/%/g, '%%').replace(/[\r\n]/g, ' ');
}

/**
 * The unit. The host only: the screen needs a desktop session, which a system service does not
 * have (docs/hardware.md says how to open it at log-on). Restarted on failure but not on exit
 * code 2, a configuration mistake (not provisioned, data directory in use) that a restart every
 * few seconds would not mend; never given up on (a till must come back).
 */
export function systemdUnit(options: UnitOptions): string {
  const exec = [
    options.nodePath,
    options.cajaBin,
    'terminal',
    '--data',
    options.dataDir,
    ...options.terminalArgs,
  ].map(execWord);
  return [
    `# Written by \`caja service install\`; \`caja service remove --data ${plainValue(options.dataDir)}\` removes it.`,
    '[Unit]',
    `Description=${plainValue(`Caja offline: terminal ${options.terminalId} (${options.terminalName})`)}`,
    'Wants=network-online.target',
    'After=network-online.target',
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${exec.join(' ')}`,
    `WorkingDirectory=${plainValue(options.dataDir)}`,
    ...(options.user === undefined ? [] : [`User=${options.user}`]),
    'Restart=on-failure',
    'RestartSec=5',
    'RestartPreventExitStatus=2',
    // SIGTERM: the terminal flushes its storage and closes its sockets before it exits.
    'KillSignal=SIGTERM',
    'TimeoutStopSec=30',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}
