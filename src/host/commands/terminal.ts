import { join } from 'node:path';
import { z } from 'zod';
import { localUrl, openAppWindow } from '../app-window.js';
import { ConfigError } from '../terminal-config.js';
import { DataDirBusyError } from '../data-lock.js';
import { LegacyDataError } from '../../invoice/ledger.js';
import { parseFlags, UsageError } from '../cli-args.js';
import { startTerminal } from '../terminal.js';
import { explainListenErrors, portSchema, stopOnSignals } from './common.js';

const terminalFlags = z.object({
  data: z.string({ error: 'required: the data directory written by caja provision' }).min(1),
  port: portSchema.default(5301),
  'lan-port': portSchema.default(6301),
  host: z.string().min(1).default('127.0.0.1'),
  'lan-host': z.string().min(1).default('0.0.0.0'),
  peer: z
    .array(z.url({ protocol: /^wss?$/, error: 'a peer is a ws:// URL, e.g. ws://192.168.1.12:6301' }))
    .default([]),
  'upload-batch-size': z.coerce.number().int().min(1).max(500).default(500),
  open: z.boolean().default(false),
  // DSC1–DSC4: terminals find each other by mDNS unless told not to (a network without multicast,
  // tests that wire terminals through proxies); --peer works either way.
  'no-mdns': z.boolean().default(false),
  // EPI1: how often the cloud's health is checked (an episode ends when it answers again).
  'cloud-check-seconds': z.coerce.number().min(0.2).max(3600).default(30),
  // EPI5: while the cloud answers, `ask` refuses sales until a manager authorizes selling offline.
  'when-cloud-answers': z.enum(['ask', 'sell']).default('ask'),
});

export type TerminalFlags = z.infer<typeof terminalFlags>;

/** `caja terminal`'s flags, checked (also for the ones `caja service install` writes into a unit). */
export function parseTerminalFlags(argv: readonly string[]): TerminalFlags {
  return parseFlags(
    argv,
    {
      data: { type: 'string' },
      port: { type: 'string' },
      'lan-port': { type: 'string' },
      host: { type: 'string' },
      'lan-host': { type: 'string' },
      peer: { type: 'string', multiple: true },
      'upload-batch-size': { type: 'string' },
      open: { type: 'boolean' },
      'no-mdns': { type: 'boolean' },
      'cloud-check-seconds': { type: 'string' },
      'when-cloud-answers': { type: 'string' },
    },
    terminalFlags,
  );
}

export async function terminalCommand(argv: readonly string[]): Promise<void> {
  const flags = parseTerminalFlags(argv);
  let terminal;
  try {
    terminal = await explainListenErrors(
      () =>
        startTerminal({
          dataDir: flags.data,
          port: flags.port,
          host: flags.host,
          lanPort: flags['lan-port'],
          lanHost: flags['lan-host'],
          peers: flags.peer,
          mdns: !flags['no-mdns'],
          uploadBatchSize: flags['upload-batch-size'],
          cloudCheckMs: Math.round(flags['cloud-check-seconds'] * 1000),
          whenCloudAnswers: flags['when-cloud-answers'],
        }),
      `--port ${flags.port} / --lan-port ${flags['lan-port']}`,
    );
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.reason, error.message);
    if (error instanceof LegacyDataError) throw new UsageError(error.reason, error.message);
    if (error instanceof DataDirBusyError) throw new UsageError(error.reason, error.message);
    throw error;
  }
  const p = terminal.context.config.provisioning;
  console.log(`caja terminal ${p.terminal.id} (${p.store.name}) serving ${terminal.url}`);
  console.log(`caja terminal ${p.terminal.id} LAN peers on ${terminal.lanUrl}`);
  if (flags.open) {
    const url = localUrl(flags.host, Number(new URL(terminal.url).port));
    openAppWindow(url, join(flags.data, 'browser-profile'));
  }
  stopOnSignals([() => terminal.close()]);
}
