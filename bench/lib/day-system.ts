import type { KeepAliveClient } from './keep-alive-client.js';

/** One terminal of a system under bench:store-day, as the scenario drives it. */
export interface DayTerminal {
  readonly id: string;
  /** Its bench API: POST /api/sales and GET /api/invoices/{id} (see bench/lib/propagation.ts). */
  readonly api: KeepAliveClient;
  /** The process running it now, if any. */
  pid(): number | undefined;
}

export interface UploadOutcome {
  readonly seconds: number;
  /** What the cloud holds afterwards, by its own count. */
  readonly cloudHolds: number;
}

/**
 * A system that can play a store's day: this project's `caja terminal`s, or the PouchDB baseline.
 * caja-1 (index 0) is the terminal that goes offline: it dials every other terminal and none dials
 * it, so starting it without its peers takes it off the LAN.
 */
export interface DaySystem {
  readonly name: string;
  readonly terminals: readonly DayTerminal[];
  /** Start every terminal with its peers, ready to sell. */
  startAll(): Promise<void>;
  /** Stop a terminal and start it again, with or without its peers; answers when it serves. */
  restart(index: number, withPeers: boolean): Promise<{ spawnedAt: number; servingAt: number }>;
  /** Invoices (of any terminal) a terminal holds. */
  held(index: number): Promise<number>;
  /** Every invoice the store holds, sent to its cloud from terminal `index`. */
  upload(index: number): Promise<UploadOutcome>;
  dataDirs(): string[];
  close(): Promise<void>;
}
