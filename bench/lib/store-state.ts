import { performance } from 'node:perf_hooks';
import { commandId, PIN } from '../../tests/support/store.js';
import type { BenchTerminal } from './bench-store.js';
import type { KeepAliveClient } from './keep-alive-client.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll `check` every `intervalMs` until it answers a value; throw `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await sleep(intervalMs);
  }
}

interface Health {
  peersConnected: number;
  invoices: { total: number };
  quarantined: { count: number };
  recovery: { rebuiltIntoJournal: number; copiedIntoLog: number; reservedNotIssued: string[] };
}

export async function health(api: KeepAliveClient): Promise<Health> {
  const res = await api.call<Health>('GET', '/api/health');
  if (res.status !== 200) throw new Error(`health answered ${res.status}`);
  return res.body;
}

/** Every document's heads as a terminal reports them, by document name. */
export async function documentHeads(api: KeepAliveClient): Promise<Map<string, string>> {
  const res = await api.call<{ documents: { name: string; documentId: string; heads: string[] }[] }>(
    'GET',
    '/api/documents',
  );
  if (res.status !== 200) throw new Error(`documents answered ${res.status}`);
  return new Map(res.body.documents.map((d) => [d.name, d.heads.join(',')]));
}

/** Document ids by name (for reading the storage directory document by document). */
export async function documentIds(api: KeepAliveClient): Promise<Map<string, string>> {
  const res = await api.call<{ documents: { name: string; documentId: string }[] }>('GET', '/api/documents');
  if (res.status !== 200) throw new Error(`documents answered ${res.status}`);
  return new Map(res.body.documents.map((d) => [d.name, d.documentId]));
}

export function sameHeads(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, heads] of a) if (b.get(name) !== heads) return false;
  return true;
}

/** Log a cashier in on each terminal and open a shift. */
export async function readyToSell(terminals: readonly BenchTerminal[]): Promise<void> {
  for (const t of terminals) {
    await t.api.login(PIN.ana);
    const res = await t.api.call('POST', '/api/shifts/open', {
      openingCash: 100_000,
      commandId: commandId('turno'),
    });
    if (res.status !== 201 && res.status !== 409)
      throw new Error(`${t.id}: opening a shift answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
}

/** Every terminal connected to at least `peers` others. */
export async function waitForPeers(
  terminals: readonly BenchTerminal[],
  peers: number,
  timeoutMs: number,
): Promise<void> {
  await waitFor(
    `${terminals.length} terminals each connected to ${peers} peers`,
    async () => {
      for (const t of terminals) if ((await health(t.api)).peersConnected < peers) return undefined;
      return true;
    },
    timeoutMs,
  );
}

/** All of `terminals` holding the same documents with the same heads. */
export async function waitForSameDocuments(
  terminals: readonly BenchTerminal[],
  timeoutMs: number,
): Promise<void> {
  await waitFor(
    `${terminals.map((t) => t.id).join(', ')} holding the same documents`,
    async () => {
      const [first, ...rest] = await Promise.all(terminals.map((t) => documentHeads(t.api)));
      return first && rest.every((other) => sameHeads(first, other)) ? true : undefined;
    },
    timeoutMs,
  );
}
