import type { StoredSale } from '../contract/cloud.js';
import { err, ok, type Result } from '../domain/result.js';
import type { SalesCloud } from './cloud-port.js';

/** Pages of the read-back: 1,000 items each, at most this many pages (10 million items). */
const PAGE = 1000;
const MAX_PAGES = 10_000;

/**
 * Everything the cloud holds for the store, from its own read-back (`GET …/offline-sales`): what
 * the upload trusts, rather than what a batch answer said (UPL7, UPL8).
 */
export async function readBack(
  cloud: Pick<SalesCloud, 'offlineSales'>,
  storeId: string,
): Promise<Result<StoredSale[], string>> {
  const sales: StoredSale[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await cloud.offlineSales(storeId, {
      limit: PAGE,
      ...(cursor === undefined ? {} : { cursor }),
    });
    if (!answer.ok) return answer;
    sales.push(...answer.value.items);
    if (answer.value.nextCursor === null) return ok(sales);
    if (answer.value.nextCursor === cursor)
      return err('invalid-cloud-answer', 'the read-back does not advance');
    cursor = answer.value.nextCursor;
  }
  return err('invalid-cloud-answer', 'the read-back has no end');
}

/** The read-back, or undefined when the cloud cannot be read (a report then says "not checked"). */
export async function readBackIfReachable(
  cloud: Pick<SalesCloud, 'offlineSales'>,
  storeId: string,
): Promise<StoredSale[] | undefined> {
  const sales = await readBack(cloud, storeId);
  return sales.ok ? sales.value : undefined;
}
