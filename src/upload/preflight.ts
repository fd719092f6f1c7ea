import type { UploadAck } from '../crdt/documents/uploads-doc.js';
import type { IndexedInvoice } from '../invoice/invoice-index.js';
import { summarizeJournal, type JournalSummary } from '../invoice/journal-summary.js';
import type { NumberSpan } from '../domain/certificate.js';
import type { JournalEntry } from '../domain/journal-entry.js';
import { formatInTimeZone } from '../domain/time.js';
import type { ReservedEntry } from '../domain/unused-number.js';
import { pendingUploads } from './pending.js';

/**
 * Before sending (UPL4): per terminal, what its journal holds, what is already in the cloud, what
 * is pending, whether its numbering is complete, and when it was last seen — with the warnings a
 * manager must read before uploading anyway. Pure.
 */
export interface TerminalPreflight {
  readonly terminalId: string;
  readonly name: string;
  readonly prefix: string;
  readonly invoices: number;
  readonly voids: number;
  readonly uploaded: number;
  readonly pending: number;
  readonly pendingTotal: number;
  readonly total: number;
  readonly firstNumber: string | null;
  readonly lastNumber: string | null;
  readonly reservedNotIssued: number;
  /** UPL10: of those, the ones not in the cloud yet (counted in `pending`). */
  readonly unusedPending: number;
  /** Ranges of consecutives missing from the journal held here. */
  readonly missing: readonly { readonly from: number; readonly to: number }[];
  readonly connected: boolean;
  readonly lastSeenAt: string | null;
}

export type PreflightWarning =
  | {
      readonly kind: 'terminal-not-seen';
      readonly terminalId: string;
      readonly since: string | null;
      readonly message: string;
    }
  | {
      readonly kind: 'missing-numbers';
      readonly terminalId: string;
      readonly from: string;
      readonly to: string;
      readonly message: string;
    }
  | {
      /** Records of a terminal's journal left out (forged, altered, out of range…): never uploaded. */
      readonly kind: 'quarantined';
      readonly terminalId: string;
      readonly count: number;
      readonly reasons: readonly string[];
      readonly message: string;
    }
  | {
      /** Acknowledged by the cloud, yet not in its read-back: pending again (UPL8). */
      readonly kind: 'unconfirmed';
      readonly count: number;
      readonly message: string;
    };

export interface Preflight {
  readonly terminals: readonly TerminalPreflight[];
  readonly pending: number;
  readonly uploaded: number;
  readonly warnings: readonly PreflightWarning[];
}

export interface PreflightInput {
  readonly terminals: readonly { readonly id: string; readonly name: string; readonly prefix: string }[];
  readonly journals: readonly JournalSummary[];
  readonly invoices: readonly IndexedInvoice[];
  /** Every terminal's numbers reserved and never issued (UPL10). */
  readonly unusedNumbers: readonly ReservedEntry[];
  readonly acks: ReadonlyMap<string, UploadAck>;
  readonly selfId: string;
  readonly peers: readonly {
    readonly terminalId: string;
    readonly connected: boolean;
    readonly lastSeenAt?: number | undefined;
  }[];
  readonly now: number;
  /** The store's time zone: "desde las 14:05" is the store's clock, not UTC. */
  readonly timeZone: string;
  /** Journal records left out by the checks (SIG3), per terminal. */
  readonly quarantined?: readonly { readonly terminalId: string; readonly reason: string }[];
  /** Items whose acknowledgement the cloud's read-back did not confirm (UPL8). */
  readonly unconfirmed?: number;
}

function ranges(numbers: readonly number[]): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (const n of [...numbers].sort((a, b) => a - b)) {
    const last = out.at(-1);
    if (last && n === last.to + 1) last.to = n;
    else out.push({ from: n, to: n });
  }
  return out;
}

const hhmm = (iso: string) => iso.slice(11, 16);

export function preflight(input: PreflightInput): Preflight {
  const warnings: PreflightWarning[] = [];
  // UPL12: the one rule the banner and health count with.
  const pendingOf = new Map(
    pendingUploads(
      input.invoices.map((i) => ({ ...i, returns: i.returns.map((r) => r.creditNote) })),
      input.unusedNumbers,
      input.acks,
    ).map((p) => [p.terminalId, p]),
  );
  const terminals = input.terminals.map((t): TerminalPreflight => {
    const journal = input.journals.find((j) => j.terminalId === t.id);
    const own = input.invoices.filter((i) => i.invoice.terminalId === t.id);
    const voids = own.filter((i) => i.voidedBy !== undefined);
    const pendingInvoices = own.filter((i) => !input.acks.has(i.invoice.id));
    const pending = pendingOf.get(t.id);
    const unusedPending = pending?.unused ?? 0;
    const peer = input.peers.find((p) => p.terminalId === t.id);
    const connected = t.id === input.selfId || peer?.connected === true;
    const lastSeenAt =
      t.id === input.selfId
        ? formatInTimeZone(input.now, input.timeZone)
        : peer?.lastSeenAt !== undefined
          ? formatInTimeZone(peer.lastSeenAt, input.timeZone)
          : (journal?.lastEntryAt ?? null);
    const missing = ranges(journal?.missing ?? []);
    if (!connected && (journal?.entries ?? 0) > 0) {
      const since = lastSeenAt ?? journal?.lastEntryAt ?? null;
      warnings.push({
        kind: 'terminal-not-seen',
        terminalId: t.id,
        since,
        message: `${t.id} no está conectada${since ? ` desde las ${hhmm(since)}` : ''}: sus ventas posteriores no se subirán`,
      });
    }
    for (const m of missing) {
      const from = `${t.prefix}${m.from}`;
      const to = `${t.prefix}${m.to}`;
      warnings.push({
        kind: 'missing-numbers',
        terminalId: t.id,
        from,
        to,
        message:
          m.from === m.to
            ? `falta el número ${from} de ${t.id}`
            : `faltan los números ${from}–${to} de ${t.id}`,
      });
    }
    const byNumber = [...own].sort((a, b) => a.invoice.consecutive - b.invoice.consecutive);
    return {
      terminalId: t.id,
      name: t.name,
      prefix: t.prefix,
      invoices: own.length,
      voids: voids.length,
      uploaded: own.length - pendingInvoices.length,
      pending: (pending?.invoices ?? 0) + (pending?.voids ?? 0) + unusedPending,
      pendingTotal: pendingInvoices.reduce((s, i) => s + i.invoice.total, 0),
      total: own.reduce((s, i) => s + i.invoice.total, 0),
      firstNumber: byNumber[0]?.invoice.number ?? null,
      lastNumber: byNumber.at(-1)?.invoice.number ?? null,
      reservedNotIssued: journal?.reservedNotIssued.length ?? 0,
      unusedPending,
      missing,
      connected,
      lastSeenAt,
    };
  });
  const quarantined = new Map<string, { count: number; reasons: Set<string> }>();
  for (const item of input.quarantined ?? []) {
    const q = quarantined.get(item.terminalId) ?? { count: 0, reasons: new Set<string>() };
    q.count += 1;
    q.reasons.add(item.reason);
    quarantined.set(item.terminalId, q);
  }
  for (const [terminalId, q] of [...quarantined].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const reasons = [...q.reasons].sort();
    warnings.push({
      kind: 'quarantined',
      terminalId,
      count: q.count,
      reasons,
      message: `${q.count} registro${q.count === 1 ? '' : 's'} de ${terminalId} en cuarentena (${reasons.join(', ')}): no se suben`,
    });
  }
  if ((input.unconfirmed ?? 0) > 0) {
    const count = input.unconfirmed ?? 0;
    warnings.push({
      kind: 'unconfirmed',
      count,
      message: `la nube confirmó ${count} documento${count === 1 ? '' : 's'} que no guardó: se enviarán de nuevo`,
    });
  }
  return {
    terminals,
    pending: terminals.reduce((s, t) => s + t.pending, 0),
    uploaded: terminals.reduce((s, t) => s + t.uploaded, 0),
    warnings,
  };
}

/** A terminal's journal as the store preflight reads it. */
export interface JournalSource {
  readonly entries: Iterable<JournalEntry>;
  /** Where the terminal's range starts (display numbering). */
  readonly rangeFrom: number | undefined;
  /** RNG5: the positions its keys were certified for. */
  readonly positions: readonly NumberSpan[];
}

export interface StorePreflightInput extends Omit<PreflightInput, 'journals' | 'quarantined'> {
  readonly journal: (terminalId: string) => JournalSource;
  /** Every quarantined item of the store's documents (SIG3). */
  readonly quarantine: Iterable<{
    readonly document: string;
    readonly path: string;
    readonly reason: string;
  }>;
}

/** UPL4 for the whole store: every terminal's journal summarized, then `preflight`. */
export function storePreflight(input: StorePreflightInput): Preflight {
  const { journal, quarantine, ...rest } = input;
  return preflight({
    ...rest,
    journals: input.terminals.map((t) => {
      const j = journal(t.id);
      return summarizeJournal(t.id, j.entries, j.rangeFrom, j.positions);
    }),
    quarantined: quarantinedJournalRecords(quarantine),
  });
}

/** The journal records the checks left out, by the terminal whose journal holds them. */
export function quarantinedJournalRecords(
  items: Iterable<{ readonly document: string; readonly path: string; readonly reason: string }>,
): { terminalId: string; reason: string }[] {
  const out: { terminalId: string; reason: string }[] = [];
  for (const item of items) {
    const match = /^journal\/([a-z0-9-]+)\/\d+$/.exec(item.document);
    if (match?.[1] && item.path !== '') out.push({ terminalId: match[1], reason: item.reason });
  }
  return out;
}
