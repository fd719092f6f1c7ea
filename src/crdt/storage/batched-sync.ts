/** What BatchedSync drives: an adapter that defers the syncs of some saves (STO4). */
export interface DeferredSyncs {
  readonly pendingSyncs: number;
  syncPending(): Promise<void>;
}

/**
 * STO4: every `everyMs`, make the deferred saves durable in one batch (each file and directory
 * once). A failure is told to `onError` (the terminal then says it cannot write) and what was not
 * synced is tried again at the next tick.
 */
export class BatchedSync {
  private readonly timer: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly storage: DeferredSyncs,
    everyMs: number,
    private readonly onError: (error: unknown) => void,
  ) {
    this.timer = setInterval(() => {
      void this.tick();
    }, everyMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.running || this.storage.pendingSyncs === 0) return;
    this.running = true;
    try {
      await this.storage.syncPending();
    } catch (error) {
      this.onError(error);
    } finally {
      this.running = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
