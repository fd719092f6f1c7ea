import { performance } from 'node:perf_hooks';
import type { KeepAliveClient } from './keep-alive-client.js';
import { randomSale } from './sales.js';

export interface PropagationOptions {
  /**
   * Sales are issued and not measured first, so that the figures are of a steady state: at least
   * minWarmup of them, until the median of the last 20 is at most settleMs, for at most
   * maxWarmupMs. (A young store is much slower: see the report of bench:sync.)
   */
  readonly minWarmup: number;
  readonly settleMs: number;
  readonly maxWarmupMs: number;
  readonly measured: number;
  /** A sale every minGapMs–maxGapMs (uniform), round-robin over the terminals. */
  readonly minGapMs: number;
  readonly maxGapMs: number;
  /** A peer that does not have the invoice it is asked for is asked again after pollMs. */
  readonly pollMs: number;
  /** A sale not visible everywhere after this long counts as this long (and as a timeout). */
  readonly timeoutMs: number;
  /** No new sale after this performance.now(). */
  readonly deadline: number;
  readonly random: () => number;
  /** After each sale is visible everywhere: how many are, and the median of the last 100 (ms). */
  readonly onProgress: (done: number, recentMedianMs: number) => void;
}

export interface PropagationResult {
  /** Visible-everywhere times of the warm-up sales, sorted, ms. */
  readonly warmup: number[];
  readonly warmupSeconds: number;
  /** From just before the POST until the invoice is visible on every other terminal, sorted, ms. */
  readonly everywhere: number[];
  /** From just before the POST until each peer has it (one figure per peer per sale), sorted, ms. */
  readonly perPeer: number[];
  /** The POST alone (issue latency as the cashier sees it), sorted, ms. */
  readonly issue: number[];
  readonly timeouts: number;
  /** Requests the pollers made (to judge how much the polling weighed on the store). */
  readonly polls: number;
}

export interface Participant {
  readonly id: string;
  readonly api: KeepAliveClient;
}

interface Pending {
  readonly invoiceId: string;
  readonly startedAt: number;
  /** Resolves with performance.now() of the answer that showed it, or undefined on timeout. */
  readonly seen: (at: number | undefined) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One poller per peer, one request at a time: each round asks the peer for every invoice it has
 * not shown yet (oldest first), then waits pollMs if any is still missing. So the polling's load
 * is bounded (one request in flight per peer) however late the store runs, and a late invoice of
 * one writer does not hold up the others'.
 */
class PeerPoller {
  private queue: Pending[] = [];
  private wake: (() => void) | undefined;
  private stopped = false;
  private failed = false;
  polls = 0;
  readonly done: Promise<void>;

  constructor(
    private readonly peer: Participant,
    private readonly options: PropagationOptions,
  ) {
    this.done = this.run().catch((error: unknown) => {
      this.failed = true;
      for (const pending of this.queue) pending.seen(undefined);
      this.queue = [];
      throw error;
    });
  }

  watch(invoiceId: string, startedAt: number): Promise<number | undefined> {
    if (this.failed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.queue.push({ invoiceId, startedAt, seen: resolve });
      this.wake?.();
    });
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    return this.done;
  }

  private async run(): Promise<void> {
    for (;;) {
      if (this.queue.length === 0) {
        if (this.stopped) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      for (const pending of [...this.queue]) {
        this.polls += 1;
        const res = await this.peer.api.call('GET', `/api/invoices/${pending.invoiceId}`);
        const at = performance.now();
        if (res.status !== 200 && res.status !== 404)
          throw new Error(`${this.peer.id}: GET invoice answered ${res.status}`);
        if (res.status === 200 || at - pending.startedAt >= this.options.timeoutMs) {
          this.queue = this.queue.filter((p) => p !== pending);
          pending.seen(res.status === 200 ? at : undefined);
        }
      }
      if (this.queue.length > 0) await sleep(this.options.pollMs);
    }
  }
}

/**
 * Sales at a cashier's pace, spread round-robin over `terminals` (each one logged in with a shift
 * open); every other terminal is polled for each new invoice's id. The time of a peer is taken
 * when its answer arrives: an upper bound, the invoice was there when the request was served, up
 * to one poll interval and one round trip earlier.
 */
export async function measurePropagation(
  terminals: readonly Participant[],
  options: PropagationOptions,
): Promise<PropagationResult> {
  const everywhere: number[] = [];
  const perPeer: number[] = [];
  const issue: number[] = [];
  const warmup: number[] = [];
  const recent: number[] = [];
  const last100: number[] = [];
  let timeouts = 0;
  let done = 0;
  // Read and written from callbacks: properties, so that the compiler does not narrow them.
  const state: { measuring: boolean; failure: unknown } = { measuring: false, failure: undefined };
  const failed = () => state.failure !== undefined;
  const started = performance.now();
  let warmupSeconds = Number.NaN;
  const pollers = new Map(terminals.map((t) => [t.id, new PeerPoller(t, options)]));
  const inFlight = new Set<Promise<void>>();

  const startMeasuring = () => {
    state.measuring = true;
    warmupSeconds = (performance.now() - started) / 1000;
  };

  const one = async (index: number, measured: boolean) => {
    const writer = terminals[index % terminals.length];
    if (!writer) throw new Error('no terminals');
    const sale = randomSale(options.random, `sync-${process.pid}-${started.toFixed(0)}-${index}`);
    const t0 = performance.now();
    const res = await writer.api.call<{ invoice?: { id: string } }>('POST', '/api/sales', sale);
    const answered = performance.now();
    if (res.status !== 201 || !res.body.invoice)
      throw new Error(`${writer.id}: sale answered ${res.status}: ${JSON.stringify(res.body)}`);
    const invoiceId = res.body.invoice.id;
    const seen = await Promise.all(
      terminals
        .filter((t) => t !== writer)
        .map((peer) => pollers.get(peer.id)?.watch(invoiceId, t0) ?? Promise.resolve(undefined)),
    );
    let latest = 0;
    let late = false;
    for (const at of seen) {
      late ||= at === undefined;
      latest = Math.max(latest, at === undefined ? options.timeoutMs : at - t0);
    }
    done += 1;
    last100.push(latest);
    if (last100.length > 100) last100.shift();
    options.onProgress(done, [...last100].sort((a, b) => a - b)[Math.floor(last100.length / 2)] ?? NaN);
    if (!measured) {
      warmup.push(latest);
      recent.push(latest);
      if (recent.length > 20) recent.shift();
      const median = [...recent].sort((a, b) => a - b)[10] ?? Number.POSITIVE_INFINITY;
      if (!state.measuring && warmup.length >= options.minWarmup && median <= options.settleMs)
        startMeasuring();
      return;
    }
    issue.push(answered - t0);
    for (const at of seen) perPeer.push(at === undefined ? options.timeoutMs : at - t0);
    if (late) timeouts += 1;
    everywhere.push(latest);
  };

  const pollersDone = [...pollers.values()].map((p) =>
    p.done.catch((error: unknown) => {
      state.failure ??= error;
    }),
  );
  let next = performance.now();
  let issuedMeasured = 0;
  for (let i = 0; issuedMeasured < options.measured; i += 1) {
    if (failed() || performance.now() > options.deadline) break;
    if (!state.measuring && performance.now() - started > options.maxWarmupMs) startMeasuring();
    const measured = state.measuring;
    if (measured) issuedMeasured += 1;
    const task = one(i, measured).catch((error: unknown) => {
      state.failure ??= error;
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
    // A fixed schedule (not "gap after the last answer"): cashiers do not wait for each other.
    next += options.minGapMs + options.random() * (options.maxGapMs - options.minGapMs);
    await sleep(Math.max(0, next - performance.now()));
    // Never more than a few dozen sales outstanding: a stuck store fails instead of piling up.
    while (inFlight.size >= 50 && !failed()) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await Promise.all([...pollers.values()].map((p) => p.stop()));
  await Promise.all(pollersDone);
  const { failure } = state;
  if (failure !== undefined)
    throw failure instanceof Error ? failure : new Error(`measuring failed: ${JSON.stringify(failure)}`);
  const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
  const polls = [...pollers.values()].reduce((n, p) => n + p.polls, 0);
  return {
    warmup: sorted(warmup),
    warmupSeconds,
    everywhere: sorted(everywhere),
    perPeer: sorted(perPeer),
    issue: sorted(issue),
    timeouts,
    polls,
  };
}
