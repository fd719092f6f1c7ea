import { UsageError } from './cli-args.js';
import { cloudCommand } from './commands/cloud.js';
import { demoCommand } from './commands/demo.js';
import { provisionCommand } from './commands/provision.js';
import { serviceCommand } from './commands/service.js';
import { terminalCommand } from './commands/terminal.js';
import { uploadCommand } from './commands/upload.js';

const USAGE = `caja — offline contingency point of sale

Usage:
  caja demo [--dir .caja-demo] [--cloud-port 7070] [--base-port 5301] [--lan-base-port 6301] [--open]
      The demo store on this machine: the reference cloud and terminals caja-1 and caja-2 (npm start);
      --open shows each terminal's screen in an app-mode browser window.
  caja provision --cloud <url> --token <t> --store <storeId> --terminal <terminalId> --data <dir>
      Install a terminal while online: configuration, keys, numbering, users, catalog, floor.
  caja terminal --data <dir> [--port 5301] [--lan-port 6301] [--host 127.0.0.1] [--lan-host 0.0.0.0] [--peer ws://host:port …] [--no-mdns] [--open] [--cloud-check-seconds 30]
      Run a terminal: the UI and JSON API on --host:--port, LAN peers on --lan-host:--lan-port;
      finds the store's other terminals by mDNS (--no-mdns: only the --peer ones);
      --open shows the UI in an app-mode browser window (Chromium, Chrome or Edge).
  caja service install --data <dir> [--unit-dir /etc/systemd/system] [--no-enable] [--user <name>] [-- <terminal flags>]
  caja service remove --data <dir> [--unit-dir /etc/systemd/system] [--no-enable]
      Start the terminal with the PC (Linux, systemd): writes caja-terminal-<id>.service, restarted
      on failure, then enables and starts it (--no-enable: write only). The host only, no --open.
  caja upload --data <dir> [--peer ws://host:port …] [--dry-run] [--anyway] [--report <file.json>]
      "Subir venta offline" for support staff, from the data directory of a stopped terminal;
      --peer joins the store's running terminals first. Resumable; never sends a sale twice.
  caja cloud --port 7070 --db ./cloud.db [--seed demo] [--token <t>] [--host 127.0.0.1] [--dian-delay-ms 2000]
      Run the reference cloud (provisioning, catalog, offline-sales upload, a simulated transmission
      to the DIAN that runs --dian-delay-ms after each upload) on SQLite.
  caja help
`;

const COMMANDS: Record<string, (argv: readonly string[]) => Promise<void>> = {
  cloud: cloudCommand,
  demo: demoCommand,
  provision: provisionCommand,
  service: serviceCommand,
  terminal: terminalCommand,
  upload: uploadCommand,
};

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  // A rejected promise nobody awaited (automerge-repo's whenReady timeouts, for one) must not stop
  // a till in the middle of a sale: it is logged and the process carries on.
  process.on('unhandledRejection', (reason) => {
    console.error('unhandled rejection (ignored):', reason);
  });
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      console.log(USAGE);
      return 0;
    }
    const run = COMMANDS[command];
    if (!run) throw new UsageError('unknown-command', `unknown command "${command}"`);
    await run(rest);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`caja ${command ?? ''}: ${error.reason}: ${error.message}`);
      if (error.reason === 'unknown-command' || error.reason === 'invalid-flag') console.error(`\n${USAGE}`);
      return 2;
    }
    console.error(`caja ${command ?? ''}: failed:`, error instanceof Error ? error.message : error);
    return 1;
  }
}
