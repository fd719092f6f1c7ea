import { writeEpisode } from '../crdt/documents/contingency-doc.js';
import type { StoreDocuments } from '../crdt/store-documents.js';
import { episodeId, openEpisode, type Episode } from '../domain/episode.js';
import type { CloudReachability } from '../upload/cloud-probe.js';

export interface ContingencyWatchOptions {
  readonly docs: StoreDocuments;
  readonly terminalId: string;
  readonly now: () => number;
  /** The store's local time, as invoices carry it. */
  readonly timestamp: () => string;
  readonly reachability: () => CloudReachability;
  readonly say?: (line: string) => void;
}

/**
 * EPI1 (src/upload/SPEC.md): records the store's contingency episodes in the shared contingency
 * document. An episode starts when a terminal issues with none open (what it knew of the cloud
 * is kept), and ends when a terminal reaches the cloud after not reaching it (or after a start),
 * or when an upload ends: every terminal then shows the transmission deadline.
 */
export class ContingencyWatch {
  private lastReachable: boolean | null = null;

  constructor(private readonly o: ContingencyWatchOptions) {}

  /** The episode a sale is issued in, opening one if none is open. Never throws. */
  async episodeForSale(): Promise<string | undefined> {
    const open = openEpisode(this.o.docs.episodes);
    if (open) return open.id;
    const reachable = this.o.reachability().reachable;
    const episode: Episode = {
      id: episodeId(this.o.now(), this.o.terminalId),
      startedAt: this.o.timestamp(),
      startedBy: this.o.terminalId,
      cloudAtStart: reachable === false ? 'unreachable' : reachable === null ? 'unknown' : 'reachable',
    };
    try {
      await this.o.docs.changeShared('contingency', (d) => {
        writeEpisode(d, episode);
      });
      this.o.say?.(`contingency episode ${episode.id} started (cloud ${episode.cloudAtStart})`);
      return episode.id;
    } catch {
      return undefined;
    }
  }

  /** The cloud probe checked the cloud: reaching it after not reaching it ends the open episodes. */
  async cloudChecked(reachable: boolean): Promise<void> {
    const before = this.lastReachable;
    this.lastReachable = reachable;
    if (reachable && before !== true) await this.end('cloud-reached');
  }

  /** An upload ended well: the outage is over for the store. */
  async uploaded(): Promise<void> {
    await this.end('uploaded');
  }

  private async end(how: NonNullable<Episode['endedHow']>): Promise<void> {
    const open = this.o.docs.episodes.filter((e) => e.endedAt === undefined);
    if (open.length === 0) return;
    const endedAt = this.o.timestamp();
    try {
      await this.o.docs.changeShared('contingency', (d) => {
        for (const e of open) writeEpisode(d, { ...e, endedAt, endedBy: this.o.terminalId, endedHow: how });
      });
      for (const e of open) this.o.say?.(`contingency episode ${e.id} ended (${how})`);
    } catch {
      // Not written (the disk): the next check tries again.
      this.lastReachable = null;
    }
  }
}
