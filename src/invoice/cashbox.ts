import { randomUUID } from 'node:crypto';
import type { Product } from '../domain/catalog.js';
import { productAtPrice, type OpenPriceReason } from '../domain/open-price.js';
import type { Customer } from '../domain/customer.js';
import type { Invoice } from '../domain/invoice.js';
import type { PaymentRequest } from '../domain/payment.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Numbering } from '../domain/schemas.js';
import type { CatalogPort, JournalPort } from '../domain/journal-port.js';
import {
  composeInvoice,
  type ComposeReason,
  type SaleLineRequest,
  type SplitMark,
} from './compose-invoice.js';
import { DEFAULT_FISCAL_SETTINGS, type FiscalSettings, type SalesChannel } from '../domain/channel.js';
import type { InvoiceIndex } from './invoice-index.js';
import { LedgerWriteError, type FiscalLedger, type LedgerReason } from './ledger.js';
import { requestDigest } from '../security/signing.js';
import type { NumberingReason } from './numbering.js';
import { CreditNotes, type ReturnRequest, type VoidRequest } from './credit-notes.js';

export type { ReturnReasonCode, ReturnRequest, VoidRequest } from './credit-notes.js';
export { refundsFor } from './credit-notes.js';
import type { OpenShift } from './shift-report.js';
import { commitEntry } from './commit-entry.js';
import { Shifts } from './shifts.js';

export {
  DEFAULT_SHIFT_DIFFERENCE_LIMIT,
  type CashMovementAnswer,
  type ClosePreview,
  type ShiftReason,
} from './shifts.js';

export interface Actor {
  readonly id: string;
  readonly name: string;
  readonly role: 'cashier' | 'manager';
  /** A manager's PIN was given for this one action. */
  readonly elevated?: boolean;
}

export interface SaleCommand {
  readonly commandId: string;
  readonly lines: readonly {
    sku: string;
    quantity: number;
    discountPercent?: number | undefined;
    /** OPN1: the unit price typed at the sale, only on a line of an open-price product. */
    unitPrice?: number | undefined;
    /** On an equal part of a bill: the whole line's quantity and this part's share of its gross. */
    share?: { readonly of: number; readonly gross: number } | undefined;
  }[];
  readonly payments: readonly PaymentRequest[];
  readonly customer?: Customer | undefined;
  readonly tip?: number | undefined;
  /** CHN1: counter unless said; a table's close sells at `mesa`. */
  readonly channel?: SalesChannel | undefined;
  /** One of the parts of a restaurant bill (SPL1–SPL2). */
  readonly split?: SplitMark | undefined;
}

export type SaleReason =
  | ComposeReason
  | NumberingReason
  | LedgerReason
  | 'no-open-shift'
  | 'unknown-sku'
  | OpenPriceReason
  | 'manager-required'
  | 'command-id-reused'
  | 'offline-not-authorized';

export type VoidReason = LedgerReason | 'unknown-invoice' | 'command-id-reused' | 'no-open-shift';

const REUSED = 'this commandId was used for another command';

export interface CashboxOptions {
  readonly terminalId: string;
  readonly storeId: string;
  readonly numbering: Numbering;
  readonly docs: JournalPort & CatalogPort;
  readonly ledger: FiscalLedger;
  readonly index: InvoiceIndex;
  /** A cashier may discount a line up to this percentage; above it needs a manager. */
  readonly discountLimitPercent: number;
  /** The store's restaurant regime and tip base (CHN2, TIP2). */
  readonly settings?: FiscalSettings | undefined;
  /** SHF6: a shift closing with a cash difference beyond this needs a manager and a note. */
  readonly shiftDifferenceLimit?: number | undefined;
  readonly newId?: () => string;
  /**
   * EPI1: the contingency episode a sale is issued in (opening one when none is open). Never
   * throws: a sale is not refused for the episode's bookkeeping.
   */
  readonly episode?: () => Promise<string | undefined>;
  /**
   * EPI5: may the terminal issue now (the offline cashbox is for outages only)? Asked before
   * anything of a sale is reserved or written; a retried sale replays whatever it answers.
   */
  readonly mayIssue?: () => Result<void, 'offline-not-authorized'>;
}

/**
 * The terminal's sales and their voids and returns (the shift and drawer: `shifts`, shifts.ts).
 * Each runs alone in the ledger, is
 * idempotent by its commandId, checks everything before reserving a number, and answers only once
 * its entry is committed.
 */
export class Cashbox {
  /** The shift and its drawer: open, movements, "Abrir cajón", reports, close. */
  readonly shifts: Shifts;
  private readonly newId: () => string;
  private catalogSource: unknown;
  private catalogBySku = new Map<string, Product>();

  private readonly creditNotes: CreditNotes;

  constructor(private readonly options: CashboxOptions) {
    this.newId = options.newId ?? randomUUID;
    this.shifts = new Shifts({
      terminalId: options.terminalId,
      docs: options.docs,
      ledger: options.ledger,
      index: options.index,
      shiftDifferenceLimit: options.shiftDifferenceLimit,
      newId: this.newId,
    });
    this.creditNotes = new CreditNotes({
      terminalId: options.terminalId,
      storeId: options.storeId,
      ledger: options.ledger,
      index: options.index,
      newId: this.newId,
      shift: () => this.shifts.current,
      commit: (entry) => commitEntry(options.ledger, entry),
    });
  }

  /** The catalog by SKU, rebuilt only when the catalog document changed. */
  private catalogMap(): Map<string, Product> {
    const view = this.options.docs.catalog;
    if (view !== this.catalogSource) {
      this.catalogSource = view;
      this.catalogBySku = new Map(view.products.map((p) => [p.sku, p]));
    }
    return this.catalogBySku;
  }

  /** The open shift, if any. */
  get shift(): OpenShift | undefined {
    return this.shifts.current;
  }

  get settings(): FiscalSettings {
    return this.options.settings ?? DEFAULT_FISCAL_SETTINGS;
  }

  /** The catalog, by SKU (shared with the restaurant's bill). */
  products(): ReadonlyMap<string, Product> {
    return this.catalogMap();
  }

  /** The line discount (percent) a cashier may give without a manager's PIN. */
  get discountLimitPercent(): number {
    return this.options.discountLimitPercent;
  }

  /**
   * Everything a sale is checked against, on a draft with the next number (not reserved): an
   * open shift, SKUs in the catalog, the discount limit, and the domain's rules. Pure reads.
   */
  private draftSale(
    command: SaleCommand,
    actor: Actor,
  ): Result<
    {
      draft: (
        consecutive: number,
        issuedAt: string,
        id: string,
        episodeId?: string,
      ) => ReturnType<typeof composeInvoice>;
      preview: Invoice;
    },
    SaleReason
  > {
    const { ledger, terminalId, storeId } = this.options;
    const shift = this.shifts.current;
    if (!shift) return err('no-open-shift', 'open a shift before selling');
    const catalog = this.catalogMap();
    const lines: SaleLineRequest[] = [];
    for (const line of command.lines) {
      const found = catalog.get(line.sku);
      if (!found) return err('unknown-sku', `no product with SKU ${line.sku} in the catalog`);
      // OPN1–OPN2: a price typed at the sale, only for an open-price product, within bounds.
      const product = productAtPrice(found, line.unitPrice);
      if (!product.ok) return err(product.reason, `line of ${line.sku}: ${product.message}`);
      if (
        (line.discountPercent ?? 0) > this.options.discountLimitPercent &&
        actor.role !== 'manager' &&
        !actor.elevated
      ) {
        return err(
          'manager-required',
          `a discount above ${this.options.discountLimitPercent} % needs a manager`,
        );
      }
      lines.push({
        product: product.value,
        quantity: line.quantity,
        discountPercent: line.discountPercent,
        share: line.share,
      });
    }
    const peek = ledger.peekNumber();
    if (!peek.ok) return peek;
    const draft = (consecutive: number, issuedAt: string, id: string, episodeId?: string) =>
      composeInvoice({
        episodeId,
        id,
        storeId,
        terminalId,
        // RNG4: the range the ledger numbers from now (it may have switched to the next one).
        numbering: ledger.numbering,
        consecutive,
        issuedAt,
        shiftId: shift.shiftId,
        cashier: { id: actor.id, name: actor.name },
        customer: command.customer,
        lines,
        tip: command.tip,
        payments: command.payments,
        channel: command.channel,
        settings: this.options.settings,
        split: command.split,
      });
    const preview = draft(peek.value, ledger.timestamp(), this.newId());
    return preview.ok ? ok({ draft, preview: preview.value }) : preview;
  }

  /** SAL4: would this sale be accepted right now? Reserves and writes nothing. */
  checkSale(command: SaleCommand, actor: Actor): Result<Invoice, SaleReason> {
    const checked = this.draftSale(command, actor);
    return checked.ok ? ok(checked.value.preview) : checked;
  }

  /** SAL1–SAL5: issue a sale as a contingency invoice. */
  sell(
    command: SaleCommand,
    actor: Actor,
  ): Promise<Result<{ invoice: Invoice; replayed: boolean }, SaleReason>> {
    const { ledger, terminalId } = this.options;
    const { commandId: _id, ...body } = command;
    const req = requestDigest({ command: 'sale', ...body });
    return ledger.run(async () => {
      const found = ledger.entryForCommand(command.commandId, req);
      if (!found.ok) return found;
      const previous = found.value;
      if (previous) {
        return previous.kind === 'invoice'
          ? ok({ invoice: previous.invoice, replayed: true })
          : err('command-id-reused', REUSED);
      }
      const allowed = ledger.canCommit();
      if (!allowed.ok) return allowed;
      const gate = this.options.mayIssue?.();
      if (gate && !gate.ok) return gate;
      // Everything is checked on a draft first: bad input reserves nothing and writes nothing.
      const checked = this.draftSale(command, actor);
      if (!checked.ok) return checked;
      const episodeId = await this.options.episode?.();
      // NUM2: the invoice's record in the fiscal log is the reservation of its number: one fsync.
      const claimed = ledger.claimNumber();
      if (!claimed.ok) return claimed;
      const final = checked.value.draft(
        claimed.value.consecutive,
        ledger.timestamp(),
        checked.value.preview.id,
        episodeId,
      );
      if (!final.ok) return final;
      try {
        await ledger.commitNow({
          kind: 'invoice',
          terminalId,
          at: final.value.issuedAt,
          commandId: command.commandId,
          req,
          invoice: final.value,
        });
      } catch (error) {
        // WRT1: nothing of the sale was written, and its number stays free (NUM2).
        if (!(error instanceof LedgerWriteError)) throw error;
        return err(error.reason, `the sale could not be recorded: ${error.message}`);
      }
      return ok({ invoice: final.value, replayed: false });
    });
  }
  /** VOID1–VOID3, CRN1–CRN3: a void (src/invoice/credit-notes.ts). */
  voidInvoice(
    invoiceId: string,
    request: VoidRequest,
    commandId: string,
    actor: Actor,
  ): ReturnType<CreditNotes['voidInvoice']> {
    return this.creditNotes.voidInvoice(invoiceId, request, commandId, actor);
  }

  /** RET1–RET2: a partial return (src/invoice/credit-notes.ts). */
  returnLines(
    invoiceId: string,
    request: ReturnRequest,
    commandId: string,
    actor: Actor,
  ): ReturnType<CreditNotes['returnLines']> {
    return this.creditNotes.returnLines(invoiceId, request, commandId, actor);
  }
}
