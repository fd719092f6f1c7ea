import { describe, expect, it } from 'vitest';
import { execWord, systemdUnit, unitName } from '../../../src/host/systemd-unit.js';

const BASE = {
  terminalId: 'caja-1',
  terminalName: 'Caja 1',
  nodePath: '/usr/bin/node',
  cajaBin: '/opt/caja/bin/caja.js',
  dataDir: '/var/lib/caja',
  terminalArgs: [],
};

describe('the systemd unit of a terminal', () => {
  it('[SVC1] is named after the terminal and starts the host only, restarted on failure', () => {
    expect(unitName('caja-1')).toBe('caja-terminal-caja-1.service');
    const unit = systemdUnit({ ...BASE, terminalArgs: ['--peer', 'ws://192.168.1.12:6301'] });
    expect(unit).toContain(
      'ExecStart="/usr/bin/node" "/opt/caja/bin/caja.js" "terminal" "--data" "/var/lib/caja" "--peer" "ws://192.168.1.12:6301"\n',
    );
    expect(unit).not.toContain('--open');
    for (const line of [
      'Restart=on-failure',
      'RestartSec=5',
      'RestartPreventExitStatus=2',
      'WantedBy=multi-user.target',
    ])
      expect(unit.split('\n')).toContain(line);
    expect(unit).not.toMatch(/^User=/m);
    expect(systemdUnit({ ...BASE, user: 'caja' }).split('\n')).toContain('User=caja');
  });

  it('[SVC1] a path with spaces, quotes, % or $ stays itself in ExecStart', () => {
    expect(execWord('/srv/mi caja')).toBe('"/srv/mi caja"');
    expect(execWord('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(execWord('50%')).toBe('"50%%"');
    expect(execWord('$HOME')).toBe('"$$HOME"');
    const unit = systemdUnit({ ...BASE, terminalName: 'Caja 100%\nExecStartPre=/bin/false' });
    // A name from the cloud cannot add a line to the unit.
    expect(unit).not.toMatch(/^ExecStartPre/m);
    expect(unit).toContain('Description=Caja offline: terminal caja-1 (Caja 100%% ExecStartPre=/bin/false)');
  });
});
