import { printable } from '../domain/text.js';
import type { StoreProfile } from '../contract/cloud.js';
import { FINAL_CONSUMER_ID, ID_TYPES } from '../domain/customer.js';
import { CREDIT_NOTE_CONCEPTS, type CreditNote, type Invoice } from '../domain/invoice.js';
import { formatThousands } from '../domain/money.js';
import { formatNit } from '../domain/nit.js';
import { PAYMENT_METHODS } from '../domain/payment.js';
import { TAX_RATES } from '../domain/tax.js';
import { CHANNEL_LABELS } from '../domain/channel.js';

/**
 * The printed contingency invoice (ET 617 contents, see FISCAL-CO.md): as plain text for 42- and
 * 48-column printers and as HTML for an 80 mm roll. Both come from the same lines.
 */
export type Row =
  | { kind: 'center'; text: string; strong?: boolean }
  | { kind: 'text'; text: string; strong?: boolean }
  | { kind: 'pair'; left: string; right: string; strong?: boolean }
  | { kind: 'rule' };

export const money = (n: number) => `$ ${formatThousands(n)}`;

function quantityText(quantity: number, unit: string): string {
  return unit === 'kg' ? `${quantity.toFixed(3).replace('.', ',')} kg` : String(quantity);
}

/** How a voided invoice's reprint says so (CRN3): requested until the cloud took the credit note. */
export interface VoidMark {
  readonly creditNote: CreditNote;
  /** The cloud acknowledged the credit-note request. */
  readonly acknowledged: boolean;
}

export function storeHeader(title: string, store: StoreProfile): Row[] {
  return [
    { kind: 'center', text: title },
    { kind: 'center', text: store.name },
    { kind: 'center', text: store.legalName },
    { kind: 'center', text: `NIT ${formatNit(store.nit, store.checkDigit)}` },
    { kind: 'center', text: store.taxRegime },
    { kind: 'center', text: `${store.address}, ${store.city}` },
    ...(store.phone ? [{ kind: 'center' as const, text: `Tel. ${store.phone}` }] : []),
  ];
}

function conceptText(note: CreditNote): string {
  const concept = note.concept ?? '2';
  return `${concept} ${CREDIT_NOTE_CONCEPTS[concept]}`;
}

/** `terminalName`: the terminal's display name ("Caja 1"), never its id when it is known. */
export function receiptRows(
  invoice: Invoice,
  store: StoreProfile,
  voided: VoidMark | undefined,
  terminalName: string = invoice.terminalId,
): Row[] {
  const rows: Row[] = storeHeader('FACTURA DE VENTA — CONTINGENCIA', store);
  if (voided) {
    rows.push(
      { kind: 'center', text: voided.acknowledged ? '*** ANULADA ***' : '*** ANULACIÓN SOLICITADA ***' },
      {
        kind: 'center',
        text: voided.acknowledged ? 'Nota crédito recibida por la nube' : 'Nota crédito pendiente',
      },
    );
    rows.push({
      kind: 'center',
      text: `Concepto ${conceptText(voided.creditNote)}: ${voided.creditNote.reason}`,
    });
  }
  rows.push(
    { kind: 'rule' },
    { kind: 'pair', left: 'Factura No.', right: invoice.number },
    { kind: 'pair', left: 'Fecha', right: invoice.issuedAt.slice(0, 19).replace('T', ' ') },
    { kind: 'pair', left: 'Caja', right: `${terminalName} · ${invoice.cashier.name}` },
  );
  if (invoice.channel) rows.push({ kind: 'pair', left: 'Canal', right: CHANNEL_LABELS[invoice.channel] });
  if (invoice.split) {
    const how = (invoice.split.kind ?? 'equal') === 'equal' ? 'partes iguales' : 'por productos';
    rows.push({
      kind: 'pair',
      left: 'Cuenta dividida',
      right: `parte ${invoice.split.part} de ${invoice.split.parts} (${how})`,
    });
  }
  const c = invoice.customer;
  if (c.idNumber === FINAL_CONSUMER_ID) {
    rows.push({ kind: 'pair', left: 'Cliente', right: `Consumidor final ${FINAL_CONSUMER_ID}` });
  } else {
    rows.push({ kind: 'pair', left: 'Cliente', right: c.name });
    const id = c.checkDigit === undefined ? c.idNumber : formatNit(c.idNumber, c.checkDigit);
    rows.push({ kind: 'pair', left: ID_TYPES[c.idType].label, right: id });
    // CUS4: what the electronic invoice will carry of the buyer.
    if (c.personType)
      rows.push({ kind: 'text', text: `Persona ${c.personType === 'juridica' ? 'jurídica' : 'natural'}` });
    if (c.responsibilities)
      rows.push({ kind: 'text', text: `Resp. fiscales: ${c.responsibilities.join(', ')}` });
    if (c.address) {
      const place = c.address.municipality
        ? `${c.address.municipality} (${c.address.municipalityCode})`
        : c.address.municipalityCode;
      rows.push({ kind: 'text', text: `Dirección: ${c.address.line}, ${place}` });
    }
    if (c.email) rows.push({ kind: 'text', text: `Correo: ${c.email}` });
  }
  rows.push({ kind: 'rule' }, { kind: 'pair', left: 'Cant. Descripción', right: 'Valor' });
  for (const line of invoice.lines) {
    rows.push({
      kind: 'pair',
      left: `${quantityText(line.quantity, line.unit)} ${line.name}`,
      right: formatThousands(line.gross),
    });
    rows.push({
      kind: 'text',
      text: `   ${line.sku} × ${money(line.unitPrice)} · ${TAX_RATES[line.tax].label}`,
    });
    if (line.share)
      rows.push({
        kind: 'text',
        text: `   Parte de ${quantityText(line.share.quantity, line.unit)} × ${money(line.unitPrice)} = ${money(line.share.gross)}`,
      });
    if (line.discount > 0)
      rows.push({
        kind: 'pair',
        left: `   Descuento ${line.discountPercent} %`,
        right: `-${formatThousands(line.discount)}`,
      });
  }
  // TIP1–TIP2: the tip, its base and percentage, apart from the taxed total.
  const tipped = invoice.tip > 0 || (invoice.tipBase?.amount ?? 0) > 0;
  rows.push(
    { kind: 'rule' },
    { kind: 'pair', left: tipped ? 'Total sin propina' : 'Subtotal', right: money(invoice.subtotal) },
  );
  for (const row of invoice.taxes) {
    rows.push({
      kind: 'pair',
      left: `${TAX_RATES[row.code].label} base ${formatThousands(row.base)}`,
      right: formatThousands(row.tax),
    });
  }
  if (tipped) {
    rows.push({ kind: 'pair', left: 'Propina voluntaria', right: money(invoice.tip) });
    const base = invoice.tipBase;
    if (base && base.amount > 0) {
      const percent = (Math.round((invoice.tip * 1000) / base.amount) / 10).toFixed(1).replace('.', ',');
      const kind = base.kind === 'pre-tax' ? 'antes de impuestos' : 'con impuestos';
      rows.push(
        { kind: 'text', text: `   ${percent} % de ${money(base.amount)} ${kind}` },
        { kind: 'text', text: '   Fuera de la base gravable' },
      );
    }
  }
  rows.push(
    { kind: 'pair', left: tipped ? 'Total a pagar' : 'TOTAL', right: money(invoice.total), strong: true },
    { kind: 'rule' },
  );
  for (const p of invoice.payments)
    rows.push({
      kind: 'pair',
      left: `${PAYMENT_METHODS[p.method].label} (${p.code})`,
      right: money(p.amount),
    });
  rows.push(
    { kind: 'pair', left: 'Cambio', right: money(invoice.change) },
    { kind: 'pair', left: 'Forma de pago', right: 'Contado' },
  );
  const r = invoice.resolution;
  rows.push(
    { kind: 'rule' },
    {
      kind: 'text',
      text: `Resolución DIAN No. ${r.resolutionNumber} del ${r.resolutionDate}, prefijo ${r.prefix}, del ${r.from} al ${r.to}, vigente hasta ${r.validUntil}.`,
    },
    {
      kind: 'text',
      text: 'Factura de contingencia (tipo 03): se transmitirá a la DIAN al restablecerse el servicio.',
    },
    { kind: 'text', text: `Software: ${store.software}` },
  );
  return rows;
}

/**
 * CRN3: the slip the customer takes when an invoice is voided: the credit-note request (credit
 * notes cannot be issued during a contingency), its concept, what went back and how.
 */
export function creditNoteRows(
  note: CreditNote,
  invoice: Invoice | undefined,
  store: StoreProfile,
  terminalName: string = note.terminalId,
): Row[] {
  const rows = storeHeader('SOLICITUD DE NOTA CRÉDITO — CONTINGENCIA', store);
  rows.push(
    { kind: 'rule' },
    { kind: 'pair', left: 'Factura No.', right: note.invoiceNumber },
    ...(invoice
      ? [
          {
            kind: 'pair' as const,
            left: 'Fecha factura',
            right: invoice.issuedAt.slice(0, 19).replace('T', ' '),
          },
        ]
      : []),
    { kind: 'pair', left: 'Solicitada', right: note.requestedAt.slice(0, 19).replace('T', ' ') },
    { kind: 'pair', left: 'Caja', right: `${terminalName} · ${note.requestedBy.name}` },
    { kind: 'pair', left: 'Concepto', right: conceptText(note) },
    { kind: 'text', text: `Motivo: ${note.reason}` },
    { kind: 'rule' },
  );
  if (note.lines) {
    // RET1: what came back, each line at its share of the sale.
    for (const l of note.lines) {
      rows.push({
        kind: 'pair',
        left: `${quantityText(l.quantity, l.unit)} ${l.name}`,
        right: formatThousands(l.amount),
      });
      rows.push({
        kind: 'pair',
        left: `   ${TAX_RATES[l.tax].label} base ${formatThousands(l.base)}`,
        right: formatThousands(l.taxAmount),
      });
    }
  } else {
    for (const row of invoice?.taxes ?? [])
      rows.push({
        kind: 'pair',
        left: `${TAX_RATES[row.code].label} base ${formatThousands(row.base)}`,
        right: formatThousands(row.tax),
      });
    if (invoice && invoice.tip > 0) rows.push({ kind: 'pair', left: 'Propina', right: money(invoice.tip) });
  }
  rows.push({ kind: 'pair', left: 'Valor a devolver', right: money(note.amount) }, { kind: 'rule' });
  for (const r of note.refunds ?? [])
    rows.push({ kind: 'pair', left: `Devuelto: ${PAYMENT_METHODS[r.method].label}`, right: money(r.amount) });
  rows.push(
    { kind: 'rule' },
    {
      kind: 'text',
      text: 'La nota crédito electrónica se emitirá y transmitirá a la DIAN al restablecerse el servicio.',
    },
    { kind: 'text', text: `Software: ${store.software}` },
  );
  return rows;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  const indent = /^ */.exec(text)?.[0] ?? '';
  let line = indent;
  for (const word of text.trimStart().split(' ')) {
    if (line.trim().length === 0) line += word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      out.push(line);
      line = word;
    }
    while (line.length > width) {
      out.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  if (line.length > 0) out.push(line);
  return out;
}

/** The lines one row takes at `width` columns (wrapped, centred or paired; never wider). */
export function rowLines(row: Row, width: number): string[] {
  if (row.kind === 'rule') return ['-'.repeat(width)];
  if (row.kind === 'center')
    return wrap(row.text, width).map((part) => ' '.repeat(Math.floor((width - part.length) / 2)) + part);
  if (row.kind === 'text') return wrap(row.text, width);
  const room = width - row.right.length - 1;
  const left = wrap(row.left, room);
  return left.map((part, i) => (i === left.length - 1 ? part.padEnd(room) + ' ' + row.right : part));
}

export function rowsText(rows: readonly Row[], width: number): string {
  const lines = rows.flatMap((row) => rowLines(row, width));
  // Whatever the documents hold, no raw control byte reaches the printer (TXT2).
  return `${lines.map((l) => printable(l).trimEnd()).join('\n')}\n`;
}

const escapeHtml = (s: string) =>
  printable(s).replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

export function rowsHtml(rows: readonly Row[], title: string): string {
  const body = rows
    .map((row) => {
      if (row.kind === 'rule') return '<hr>';
      if (row.kind === 'center') return `<p class="c">${escapeHtml(row.text)}</p>`;
      const indent = (text: string) => (text.startsWith(' ') ? ' i' : '');
      if (row.kind === 'text') return `<p class="t${indent(row.text)}">${escapeHtml(row.text.trim())}</p>`;
      return `<p class="r${indent(row.left)}"><span>${escapeHtml(row.left.trim())}</span><span>${escapeHtml(row.right)}</span></p>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="es-CO"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
@page { size: 80mm auto; margin: 4mm; }
body { width: 72mm; margin: 0 auto; font: 12px/1.35 'DejaVu Sans Mono', monospace; color: #000; }
p { margin: 0; } .c { text-align: center; } .r { display: flex; justify-content: space-between; gap: 2mm; }
.r span:last-child { white-space: nowrap; } .i { padding-left: 3ch; } hr { border: 0; border-top: 1px dashed #000; margin: 2mm 0; }
</style></head>
<body>
${body}
</body></html>
`;
}

export function renderReceiptText(
  invoice: Invoice,
  store: StoreProfile,
  options: { width?: number; voided?: VoidMark | undefined; terminalName?: string } = {},
): string {
  return rowsText(receiptRows(invoice, store, options.voided, options.terminalName), options.width ?? 42);
}

export function renderReceiptHtml(
  invoice: Invoice,
  store: StoreProfile,
  options: { voided?: VoidMark | undefined; terminalName?: string } = {},
): string {
  return rowsHtml(
    receiptRows(invoice, store, options.voided, options.terminalName),
    `Factura ${invoice.number}`,
  );
}

/** CRN3: the credit-note request slip, as text or HTML. */
export function renderCreditNoteText(
  note: CreditNote,
  invoice: Invoice | undefined,
  store: StoreProfile,
  width = 42,
  terminalName?: string,
): string {
  return rowsText(creditNoteRows(note, invoice, store, terminalName), width);
}

export function renderCreditNoteHtml(
  note: CreditNote,
  invoice: Invoice | undefined,
  store: StoreProfile,
  terminalName?: string,
): string {
  return rowsHtml(creditNoteRows(note, invoice, store, terminalName), `Nota crédito ${note.invoiceNumber}`);
}
