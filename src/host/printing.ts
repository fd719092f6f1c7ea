import type { StoreProfile } from '../contract/cloud.js';
import type { StoreDocuments } from '../crdt/store-documents.js';
import type { Order } from '../crdt/documents/floor-orders.js';
import type { Invoice } from '../domain/invoice.js';
import { receiptPrinterOf, stationOf, type Printer, type Station } from '../domain/printer.js';
import { creditNoteRows, receiptRows, type VoidMark } from '../invoice/receipt.js';
import type { CreditNote } from '../domain/invoice.js';
import { preformatted, type PrintDocument, type PrintRow } from '../printing/print-document.js';
import type { PrintJob, PrintQueue, PrintJobKind } from '../printing/print-queue.js';
import { comandaRows } from '../restaurant/tickets.js';

interface Person {
  readonly id: string;
  readonly name: string;
}

/** What printing did for a command: the jobs queued, or why nothing printed here. */
export interface PrintOutcome {
  /** `printed`: jobs queued on a configured printer; `browser`: no printer, the screen prints. */
  readonly via: 'printer' | 'browser' | 'ask' | 'none';
  readonly jobs: readonly PrintJob[];
}

/**
 * PRN1–PRN7 on this terminal: which printer prints what, with the documents it prints. Receipts
 * go to this terminal's receipt printer (automatic, ask or never; copies), comandas to each
 * station's printer with only its lines, the drawer pulse with a cash sale's receipt (or alone).
 * Without a printer the screen keeps the browser's print dialog (`via: "browser"`).
 */
export class Printing {
  constructor(
    private readonly o: {
      readonly docs: StoreDocuments;
      readonly queue: PrintQueue;
      readonly terminalId: string;
      readonly store: StoreProfile;
      /** The store's terminals as provisioned, with the names a person reads. */
      readonly terminals?: readonly { readonly id: string; readonly name: string }[];
    },
  ) {}

  /**
   * A terminal's display name for what people read (receipts, slips): as provisioned, else as it
   * registered itself in the store document, its id only when neither knows it.
   */
  terminalName(id: string): string {
    return (
      this.o.terminals?.find((t) => t.id === id)?.name ?? this.o.docs.store.terminals.get(id)?.name ?? id
    );
  }

  get printers(): readonly Printer[] {
    return this.o.docs.devices.printers;
  }

  get stations(): readonly Station[] {
    return this.o.docs.devices.stations;
  }

  receiptPrinter(): Printer | undefined {
    return receiptPrinterOf(this.printers, this.o.terminalId);
  }

  /**
   * After a sale: its receipt as the terminal's setting says, the drawer opened for cash. Once per
   * invoice: a retried sale or table close answers the jobs its first run queued.
   */
  afterSale(invoice: Invoice, by: Person): PrintOutcome {
    const printer = this.receiptPrinter();
    if (!printer) return { via: 'browser', jobs: [] };
    const mode = printer.printMode ?? 'automatic';
    const queued = this.o.queue.list().filter((j) => j.ref?.invoiceId === invoice.id);
    if (queued.length > 0)
      return { via: mode === 'automatic' ? 'printer' : mode === 'ask' ? 'ask' : 'none', jobs: queued };
    const cash = invoice.payments.some((p) => p.method === 'cash');
    const ref = { invoiceId: invoice.id };
    if (mode !== 'automatic') {
      const jobs = cash ? [this.#drawer(printer, by, `Cajón — ${invoice.number}`, ref)] : [];
      return { via: mode === 'ask' ? 'ask' : 'none', jobs };
    }
    const jobs: PrintJob[] = [];
    const copies = printer.copies ?? 1;
    for (let i = 0; i < copies; i += 1)
      jobs.push(
        this.o.queue.enqueue({
          kind: 'receipt',
          printerId: printer.id,
          title: `Factura ${invoice.number}`,
          document: {
            title: `Factura ${invoice.number}`,
            rows: receiptRows(invoice, this.o.store, undefined, this.terminalName(invoice.terminalId)),
            cut: true,
            pulse: cash && i === 0,
          },
          copy: i > 0,
          by,
          ref,
        }),
      );
    return { via: 'printer', jobs };
  }

  /** `POST /api/invoices/{id}/print`: a print asked for; a receipt printed before says "COPIA". */
  printInvoice(invoice: Invoice, voided: VoidMark | undefined, by: Person): PrintJob | undefined {
    const printer = this.receiptPrinter();
    if (!printer) return undefined;
    const copy = this.o.queue.printedBefore(invoice.id);
    return this.o.queue.enqueue({
      kind: 'receipt',
      printerId: printer.id,
      title: `Factura ${invoice.number}${copy ? ' (copia)' : ''}`,
      document: {
        title: `Factura ${invoice.number}`,
        rows: receiptRows(invoice, this.o.store, voided, this.terminalName(invoice.terminalId)),
        cut: true,
        pulse: false,
      },
      copy,
      by,
      ref: { invoiceId: invoice.id },
    });
  }

  printCreditNote(note: CreditNote, invoice: Invoice | undefined, by: Person): PrintJob | undefined {
    const printer = this.receiptPrinter();
    if (!printer) return undefined;
    const title = `Nota crédito ${note.invoiceNumber}`;
    return this.o.queue.enqueue({
      kind: 'credit-note',
      printerId: printer.id,
      title,
      document: {
        title,
        rows: creditNoteRows(note, invoice, this.o.store, this.terminalName(note.terminalId)),
        cut: true,
        pulse: false,
      },
      by,
      ref: { invoiceId: note.invoiceId },
    });
  }

  /**
   * PRN6: "Enviar a cocina" — one comanda per station with only its lines, on the station's
   * printer, from whichever terminal sends. Lines of products no station takes go to this
   * terminal's receipt printer, if any; the answer says which were not printed.
   */
  sendComandas(
    order: Order,
    sendId: string,
    tableName: string,
    by: Person,
  ): { jobs: PrintJob[]; unrouted: string[] } {
    const stations = this.stations;
    if (stations.length === 0) return { jobs: [], unrouted: [] };
    const categoryOf = new Map(this.o.docs.catalog.products.map((p) => [p.sku, p.category]));
    const stationOfSku = (sku: string) => stationOf(stations, { sku, category: categoryOf.get(sku) });
    const jobs: PrintJob[] = [];
    for (const station of stations) {
      const printer = this.printers.find((p) => p.id === station.printerId);
      const rows = comandaRows(
        order,
        sendId,
        `${station.name.toUpperCase()} — ${tableName}`,
        (sku) => stationOfSku(sku)?.id === station.id,
        (id) => this.terminalName(id),
      );
      if (!rows || !printer) continue;
      jobs.push(
        this.o.queue.enqueue({
          kind: 'comanda',
          printerId: printer.id,
          title: `Comanda ${station.name} — ${tableName}`,
          document: { title: `Comanda ${station.name}`, rows, cut: true, pulse: false },
          by,
          ref: { tableId: order.tableId, stationId: station.id },
        }),
      );
    }
    const rest = comandaRows(
      order,
      sendId,
      `COMANDA — ${tableName}`,
      (sku) => stationOfSku(sku) === undefined,
      (id) => this.terminalName(id),
    );
    const unrouted: string[] = [];
    if (rest) {
      const printer = this.receiptPrinter();
      if (printer)
        jobs.push(
          this.o.queue.enqueue({
            kind: 'comanda',
            printerId: printer.id,
            title: `Comanda — ${tableName}`,
            document: { title: 'Comanda', rows: rest, cut: true, pulse: false },
            by,
            ref: { tableId: order.tableId },
          }),
        );
      else for (const row of rest) if (row.kind === 'text' && /^\d/.test(row.text)) unrouted.push(row.text);
    }
    return { jobs, unrouted };
  }

  /** A pre-bill, a report: text already laid out at the receipt printer's width. */
  printText(
    kind: PrintJobKind,
    title: string,
    render: (columns: number) => string,
    by: Person,
  ): PrintJob | undefined {
    const printer = this.receiptPrinter();
    if (!printer) return undefined;
    const document: PrintDocument = {
      title,
      rows: preformatted(render(printer.columns)),
      cut: true,
      pulse: false,
    };
    return this.o.queue.enqueue({ kind, printerId: printer.id, title, document, by });
  }

  /** PRN7: the drawer alone (a recorded "Abrir cajón", or cash taken without a receipt printed). */
  openDrawer(by: Person, title = 'Abrir cajón'): PrintJob | undefined {
    const printer = this.receiptPrinter();
    return printer ? this.#drawer(printer, by, title) : undefined;
  }

  /** "Imprimir prueba": what a technician checks — width, accents, the cut. */
  testPage(printer: Printer, by: Person, at: string): PrintJob {
    const rows: PrintRow[] = [
      { kind: 'center', text: 'PRUEBA DE IMPRESIÓN', strong: true },
      { kind: 'center', text: printer.name },
      { kind: 'rule' },
      { kind: 'pair', left: 'Conexión', right: connectionText(printer) },
      { kind: 'pair', left: 'Columnas', right: String(printer.columns) },
      { kind: 'pair', left: 'Página de códigos', right: printer.codepage ?? 'cp858' },
      { kind: 'pre', text: '1234567890'.repeat(5) },
      { kind: 'text', text: 'Señor Peña: ¿añadió el jalapeño? ¡Sí! Café, té, azúcar: $ 12.345' },
      { kind: 'text', text: 'ÁÉÍÓÚ áéíóú Ññ Üü ¿? ¡!' },
      { kind: 'pair', left: 'TOTAL', right: '$ 12.345', strong: true },
      { kind: 'rule' },
      { kind: 'center', text: at },
    ];
    return this.o.queue.enqueue({
      kind: 'test',
      printerId: printer.id,
      title: `Prueba — ${printer.name}`,
      document: { title: 'Prueba', rows, cut: true, pulse: false },
      by,
    });
  }

  #drawer(printer: Printer, by: Person, title: string, ref?: PrintJob['ref']): PrintJob {
    return this.o.queue.enqueue({
      kind: 'drawer',
      printerId: printer.id,
      title,
      document: { title, rows: [], cut: false, pulse: true },
      by,
      ...(ref ? { ref } : {}),
    });
  }
}

export function connectionText(printer: Printer): string {
  const c = printer.connection;
  return c.type === 'tcp' ? `${c.host}:${c.port}` : c.type === 'device' ? c.path : `CUPS ${c.queue}`;
}
