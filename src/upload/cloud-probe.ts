import type { TerminalCloud } from './cloud-port.js';

export interface CloudReachability {
  readonly reachable: boolean | null;
  readonly checkedAt: string | null;
  readonly reason: string | null;
}

/**
 * Watches whether the cloud answers its health check, so the screen can say "la nube volvió:
 * suba las ventas". It only asks `GET /v1/health`; nothing is ever sent in the background.
 */
export class CloudProbe {
  private state: CloudReachability = { reachable: null, checkedAt: null, reason: null };
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly cloud: Pick<TerminalCloud, 'health'>,
    private readonly intervalMs = 30_000,
    /** Told after every check (EPI1: reaching the cloud again ends the contingency episode). */
    private readonly onCheck?: (state: CloudReachability) => Promise<void>,
  ) {}

  start(): void {
    const tick = () => {
      void this.check().finally(() => {
        this.timer = setTimeout(tick, this.intervalMs);
        this.timer.unref();
      });
    };
    tick();
  }

  async check(): Promise<CloudReachability> {
    const answer = await this.cloud.health();
    this.state = {
      reachable: answer.ok,
      checkedAt: new Date().toISOString(),
      reason: answer.ok ? null : answer.reason,
    };
    await this.onCheck?.(this.state).catch(() => undefined);
    return this.state;
  }

  get current(): CloudReachability {
    return this.state;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
