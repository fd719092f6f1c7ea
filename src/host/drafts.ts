import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomicSync } from '../crdt/storage/atomic-file.js';
import { err, ok, type Result } from '../domain/result.js';
import {
  isEmptyDraft,
  MAX_PARKED_SALES,
  parkedSaleSchema,
  storedCartSchema,
  type DraftOwner,
  type ParkedSale,
  type SaleDraft,
  type StoredCart,
} from '../domain/sale-draft.js';

const fileSchema = z.strictObject({
  version: z.literal(1),
  cart: storedCartSchema.nullable(),
  parked: z.array(parkedSaleSchema).max(MAX_PARKED_SALES),
});
type DraftsFile = z.infer<typeof fileSchema>;

export type DraftReason = 'nothing-to-park' | 'too-many-parked-sales' | 'unknown-parked-sale';

/**
 * DRF1–DRF4: the screen's sale in progress and its parked sales, kept on this terminal's disk so
 * that neither a restart of the program nor a reload of the page loses a sale. One small JSON file
 * replaced atomically (temp file, fsync, rename): after a crash it holds the last state the host
 * answered for, never a torn mix. Drafts are not fiscal records; the invoice is issued by the sale
 * command as ever.
 */
export class DraftStore {
  private state: DraftsFile = { version: 1, cart: null, parked: [] };
  private readonly path: string;

  constructor(
    dataDir: string,
    private readonly now: () => string,
    private readonly newId: () => string,
    say: (note: string) => void = () => undefined,
  ) {
    this.path = join(dataDir, 'drafts.json');
    if (!existsSync(this.path)) return;
    // DRF4: a file this version cannot read is set aside and reported, never a failed start.
    let parsed: DraftsFile | undefined;
    try {
      const read = fileSchema.safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
      if (read.success) parsed = read.data;
    } catch {
      parsed = undefined;
    }
    if (parsed) this.state = parsed;
    else {
      const aside = `${this.path}.unreadable-${Date.now()}`;
      renameSync(this.path, aside);
      say(`drafts: ${this.path} could not be read; set aside as ${aside}`);
    }
  }

  private write(next: DraftsFile): void {
    writeFileAtomicSync(this.path, JSON.stringify(next));
    this.state = next;
  }

  cart(): StoredCart | null {
    return this.state.cart;
  }

  parked(): readonly ParkedSale[] {
    return this.state.parked;
  }

  /** DRF1: the sale in progress as the screen has it now (null or empty: no sale in progress). */
  saveCart(draft: SaleDraft | null, owner: DraftOwner): StoredCart | null {
    const cart = draft === null || isEmptyDraft(draft) ? null : { draft, owner, savedAt: this.now() };
    if (cart === null && this.state.cart === null) return null;
    this.write({ ...this.state, cart });
    return cart;
  }

  /** DRF3: the sale issued under this command id is no longer in progress. */
  issued(commandId: string): void {
    if (this.state.cart?.draft.commandId === commandId) this.write({ ...this.state, cart: null });
  }

  /**
   * DRF2: put a sale aside under its owner — the draft sent, or else the stored cart — and leave
   * no sale in progress.
   */
  park(draft: SaleDraft | undefined, owner: DraftOwner): Result<ParkedSale, DraftReason> {
    const stored = this.state.cart;
    const parking = draft ?? stored?.draft;
    const whose = draft ? owner : (stored?.owner ?? owner);
    if (!parking || isEmptyDraft(parking)) return err('nothing-to-park', 'there is no sale to put aside');
    // A retried "Guardar venta": the sale is already aside.
    const already = this.state.parked.find((p) => p.draft.commandId === parking.commandId);
    if (already) return ok(already);
    if (this.state.parked.length >= MAX_PARKED_SALES)
      return err(
        'too-many-parked-sales',
        `${MAX_PARKED_SALES} sales are already waiting on this terminal: finish or discard one first`,
      );
    const sale: ParkedSale = { id: this.newId(), draft: parking, owner: whose, parkedAt: this.now() };
    const cart = stored && stored.draft.commandId === parking.commandId ? null : stored;
    this.write({ ...this.state, cart: draft ? null : cart, parked: [...this.state.parked, sale] });
    return ok(sale);
  }

  /**
   * DRF2: take a parked sale back as the sale in progress of `owner`. The cart being built, if any,
   * is parked in its place so that nothing is lost.
   */
  restore(
    id: string,
    owner: DraftOwner,
  ): Result<{ sale: ParkedSale; parkedInstead?: ParkedSale }, DraftReason> {
    const sale = this.state.parked.find((p) => p.id === id);
    if (!sale) return err('unknown-parked-sale', `no parked sale ${id} on this terminal`);
    const rest = this.state.parked.filter((p) => p.id !== id);
    const current = this.state.cart;
    const parkedInstead =
      current && !isEmptyDraft(current.draft)
        ? { id: this.newId(), draft: current.draft, owner: current.owner, parkedAt: this.now() }
        : undefined;
    this.write({
      version: 1,
      cart: { draft: sale.draft, owner, savedAt: this.now() },
      parked: parkedInstead ? [...rest, parkedInstead] : rest,
    });
    return ok(parkedInstead ? { sale, parkedInstead } : { sale });
  }

  /** DRF2: a parked sale the customer did not come back for. */
  discard(id: string): Result<ParkedSale, DraftReason> {
    const sale = this.state.parked.find((p) => p.id === id);
    if (!sale) return err('unknown-parked-sale', `no parked sale ${id} on this terminal`);
    this.write({ ...this.state, parked: this.state.parked.filter((p) => p.id !== id) });
    return ok(sale);
  }
}
