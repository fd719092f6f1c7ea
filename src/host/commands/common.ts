import { z } from 'zod';
import { UsageError } from '../cli-args.js';

export const portSchema = z.coerce.number().int().min(0).max(65535);

/** Stop cleanly on SIGINT/SIGTERM: storage flushed, sockets closed. */
export function stopOnSignals(closers: readonly (() => Promise<void>)[]): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping…`);
    Promise.all(closers.map((close) => close()))
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => {
    stop('SIGINT');
  });
  process.on('SIGTERM', () => {
    stop('SIGTERM');
  });
}

export async function explainListenErrors<T>(start: () => Promise<T>, what: string): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE')
      throw new UsageError('port-in-use', `${what}: the port is already in use; pick another`);
    if (code === 'EADDRNOTAVAIL')
      throw new UsageError('address-not-available', `${what}: this machine has no such address`);
    throw error;
  }
}
