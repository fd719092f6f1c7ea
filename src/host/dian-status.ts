import type { DianState } from '../contract/cloud.js';
import type { DianStatus } from '../contract/host-api.js';
import { ok, type Result } from '../domain/result.js';
import type { SalesCloud } from '../upload/cloud-port.js';
import { readBack } from '../upload/read-back.js';
import { dianSummary } from '../upload/report.js';

export type { DianStatus };

/**
 * One read of the cloud's read-back shared by every screen asking within `ttlMs` (Facturas polls
 * it on every terminal): a read in flight is joined, a fresh answer is reused.
 */
export class DianStatusReader {
  private last: { at: number; value: DianStatus } | undefined;
  private inFlight: Promise<Result<DianStatus, string>> | undefined;

  constructor(
    private readonly o: {
      readonly cloud: Pick<SalesCloud, 'offlineSales'>;
      readonly storeId: string;
      readonly now: () => number;
      readonly ttlMs?: number;
    },
  ) {}

  read(): Promise<Result<DianStatus, string>> {
    const now = this.o.now();
    if (this.last && now - this.last.at < (this.o.ttlMs ?? 10_000))
      return Promise.resolve(ok(this.last.value));
    this.inFlight ??= this.fetch().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async fetch(): Promise<Result<DianStatus, string>> {
    const sales = await readBack(this.o.cloud, this.o.storeId);
    if (!sales.ok) return sales;
    const documents: Record<string, DianState> = {};
    for (const { document, dian } of sales.value)
      if (dian && document.kind !== 'unused-number') documents[document.id] = dian;
    const at = this.o.now();
    const value: DianStatus = {
      readAt: new Date(at).toISOString(),
      documents,
      summary: dianSummary(sales.value),
    };
    this.last = { at, value };
    return ok(value);
  }
}
