import { writeEpisode } from '../crdt/documents/contingency-doc.js';
import type { StoreDocuments } from '../crdt/store-documents.js';
import { episodeId, offlineSaleGate, openEpisode, type Episode } from '../domain/episode.js';
import { ok, type Result } from '../domain/result.js';
import type { CloudReachability } from '../upload/cloud-probe.js';

export interface ContingencyWatchOptions {
  readonly docs: StoreDocuments;
  readonly terminalId: string;
  readonly now: () => number;
  /** The store's local time, as invoices carry it. */
  readonly timestamp: () => string;
  readonly reachability: () => CloudReachability;
  /** EPI5: `ask` (the default) refuses a sale while the cloud answers unless a manager authorized it; `sell` does not. */
  readonly whenCloudAnswers?: 'ask' | 'sell';
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

  /** EPI5: may this terminal issue now? Checked before anything of a sale is written. */
  gate(): Result<void, 'offline-not-authorized'> {
    if (this.o.whenCloudAnswers === 'sell') return ok(undefined);
    return offlineSaleGate(this.o.reachability().reachable, this.o.docs.episodes);
  }

  /** EPI5: does the banner ask for a manager's authorization (the cloud answers, no episode open)? */
  get asksAuthorization(): boolean {
    return !this.gate().ok;
  }

  /**
   * EPI5: a manager authorizes selling offline while the cloud answers: the open episode carries
   * who, why and when (one is opened when none is). Answers the episode and whether it is new.
   */
  async authorize(
    by: { id: string; name: string },
    reason: string,
  ): Promise<{ episode: Episode; opened: boolean }> {
    const open = openEpisode(this.o.docs.episodes);
    const authorization = { by, reason, at: this.o.timestamp(), terminalId: this.o.terminalId };
    const episode: Episode = open
      ? { ...open, authorization }
      : {
          id: episodeId(this.o.now(), this.o.terminalId),
          startedAt: authorization.at,
          startedBy: this.o.terminalId,
          cloudAtStart: this.o.reachability().reachable === false ? 'unreachable' : 'reachable',
          authorization,
        };
    await this.o.docs.changeShared('contingency', (d) => {
      writeEpisode(d, episode);
    });
    this.o.say?.(`selling offline authorized by ${by.name} (${by.id}): ${reason} — episode ${episode.id}`);
    return { episode, opened: !open };
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
    // EPI5: an episode a manager authorized while the cloud answered ends with an upload only.
    const open = this.o.docs.episodes.filter(
      (e) => e.endedAt === undefined && (how === 'uploaded' || e.authorization === undefined),
    );
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
