import { freePort, freePortRun } from './proxy.js';
import { spawnCaja, tempDir, waitForLine, type Spawned } from './processes.js';

/** `caja demo` as a real process on free ports, in a temporary directory, for the browser tests. */
export interface DemoStore {
  readonly process: Spawned;
  readonly dir: ReturnType<typeof tempDir>;
  readonly caja1: string;
  readonly caja2: string;
  readonly cloud: { readonly url: string; readonly token: string };
  stop(): Promise<void>;
}

/**
 * `whenCloudAnswers`: the browser tests sell while the demo cloud answers (`sell`), except those of
 * the outage-only rule itself (EPI5), which keep the product's `ask`.
 */
export async function startDemo(
  prefix: string,
  whenCloudAnswers: 'ask' | 'sell' = 'sell',
): Promise<DemoStore> {
  const dir = tempDir(prefix);
  const [cloudPort, basePort, lanBase] = [await freePort(), await freePortRun(2), await freePortRun(2)];
  const demo = spawnCaja([
    'demo',
    '--dir',
    dir.path,
    '--cloud-port',
    String(cloudPort),
    '--base-port',
    String(basePort),
    '--lan-base-port',
    String(lanBase),
    '--when-cloud-answers',
    whenCloudAnswers,
  ]);
  const ready = await waitForLine(demo, /caja-1: (\S+)\n\s+caja-2: (\S+)/, 60_000);
  const cloudLine = await waitForLine(demo, /reference cloud: (\S+)\s+\(token (\S+)\)/);
  return {
    process: demo,
    dir,
    caja1: ready[1] ?? '',
    caja2: ready[2] ?? '',
    cloud: { url: cloudLine[1] ?? '', token: cloudLine[2] ?? '' },
    async stop() {
      await demo.stop('SIGTERM');
      dir.remove();
    },
  };
}
