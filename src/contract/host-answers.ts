import type { FiscalSettings } from '../domain/channel.js';
import type { Product } from '../domain/catalog.js';
import type { DirectoryEntry } from '../domain/customer-directory.js';
import type { Scanned } from '../domain/scan.js';
import type { ParkedSale, SaleDraft, StoredCart } from '../domain/sale-draft.js';
import type { Printer, Station } from '../domain/printer.js';
import type { PrintJob, PrinterQueueState } from '../printing/print-queue.js';
import type { ContingencyStatus, Episode } from '../domain/episode.js';
import type { CreditNote, Invoice } from '../domain/invoice.js';
import type { Numbering } from '../domain/schemas.js';
// Type-only: the answers the host's modules already describe, re-exported so that the screen and
// the host name the same type. None of these modules reaches the browser bundle.
import type { UnreadableDocument } from '../crdt/storage/document-storage.js';
import type { CatalogMeta } from '../crdt/documents/catalog-doc.js';
import type { Area, Table } from '../crdt/documents/floor-doc.js';
import type { Order } from '../crdt/documents/floor-orders.js';
import type { QuarantinedItem } from '../crdt/documents/quarantine.js';
import type { UploadRun } from '../crdt/documents/uploads-doc.js';
import type { DianState } from './cloud.js';
import type { DianSummary } from '../upload/report.js';
import type { ClosePreview } from '../invoice/cashbox.js';
import type { IndexedInvoice } from '../invoice/invoice-index.js';
import type { RecoveryReport } from '../invoice/ledger.js';
import type { RangeStatus } from '../invoice/numbering.js';
import type { OpenShift, ShiftReport } from '../invoice/shift-report.js';
import type { WriteFailure } from '../invoice/write-health.js';
import type { TableStatus } from '../restaurant/floor.js';
import type { CatalogReadResult } from '../upload/catalog-read.js';
import type { CloudReachability } from '../upload/cloud-probe.js';
import type { Preflight } from '../upload/preflight.js';
import type { UploadReport } from '../upload/report.js';
import type { UploadStatus } from '../upload/uploader.js';

/**
 * The host's HTTP API, what it answers: one type per route, imported type-only by the screen. The
 * host builds its answers as these types, so a field added or dropped on one side does not compile.
 */
/** DIAN1 in Facturas: each uploaded document's transmission state, as the cloud's read-back says. */
export interface DianStatus {
  /** When the cloud was read (ISO). */
  readonly readAt: string;
  /** By document id (invoices and credit notes the cloud holds and says something about). */
  readonly documents: Readonly<Record<string, DianState>>;
  readonly summary: DianSummary | null;
}

// ---------------------------------------------------------------------------------------------
// Answers

export type Role = 'cashier' | 'manager';

export interface UserSummary {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
}

/** GET /api/users. */
export interface UsersAnswer {
  readonly users: readonly UserSummary[];
}

/** POST /api/session. */
export interface SessionAnswer {
  readonly token: string;
  readonly user: UserSummary;
}

/** POST /api/session/elevate: the manager whose PIN was typed; nobody is logged in or out. */
export interface ElevateAnswer {
  readonly user: UserSummary;
}

/** GET /api/session. */
export interface CurrentSessionAnswer {
  readonly user: UserSummary;
}

export interface PeerHealth {
  readonly terminalId: string;
  readonly url: string | null;
  readonly connected: boolean;
  readonly lastSeenAt: string | null;
  readonly clockSkewSeconds: number | null;
  /** How this terminal found the peer (DSC3): `--peer`, an mDNS announcement, or it dialed us. */
  readonly foundBy: 'peer-flag' | 'mdns' | 'inbound';
}

/** DSC1–DSC4: finding the store's other terminals by mDNS. */
export interface DiscoveryHealth {
  /** `off`: started with `--no-mdns`; `failed`: the mDNS socket could not be used (see `problem`). */
  readonly mdns: 'off' | 'starting' | 'running' | 'failed' | 'closed';
  /** Why it failed, or the last error of its socket while running. */
  readonly problem: string | null;
  /** Terminals of this store heard on the LAN and dialed. */
  readonly discovered: number;
}

/** GET /api/health: what the banner, the support technician and the tests look at. */
export interface HealthAnswer {
  readonly status: 'ok';
  readonly storeId: string;
  readonly storeName: string;
  readonly terminalId: string;
  readonly terminalName: string;
  readonly startedAt: string;
  readonly peers: readonly PeerHealth[];
  readonly peersConnected: number;
  /** DSC4: mDNS discovery; `warnings` adds `mdns-unavailable` when it failed or its socket errs. */
  readonly discovery: DiscoveryHealth;
  readonly terminalsInStore: number;
  readonly documents: number;
  readonly quarantined: {
    readonly count: number;
    readonly items: readonly QuarantinedItem[];
    /** Journal records left out, "<terminal>/<seq>": the screen hides them too. */
    readonly entries: readonly string[];
  };
  /** WRT2: whether this terminal can write to its disk; while it cannot, it issues nothing. */
  readonly storage: {
    readonly writable: boolean;
    readonly failure: WriteFailure | null;
    readonly failures: number;
    readonly recoveries: number;
  };
  /** CLK1, CLK2: this terminal's clock against its own last entry and against its peers'. */
  readonly clock: {
    readonly now: string;
    readonly behindOwnLastEntrySeconds: number;
    readonly skewedPeers: readonly { readonly terminalId: string; readonly skewSeconds: number }[];
  };
  /** SIG4, UI1: own entries written back after a peer altered them; screen writes refused. */
  readonly integrity: { readonly restoredEntries: number; readonly screenWritesRefused: number };
  readonly catalog: {
    readonly version: string | null;
    readonly readAt: string | null;
    readonly ageHours: number | null;
    readonly products: number;
  };
  readonly numbering: RangeStatus;
  readonly shift: OpenShift | null;
  /** Line discounts above this percentage need a manager's PIN (the screen asks before sending). */
  readonly discountLimitPercent: number;
  /** The store's restaurant regime and tip base (CHN2, TIP2): the screen prices tables with them. */
  readonly fiscal: FiscalSettings;
  readonly invoices: {
    readonly total: number;
    readonly pendingUpload: number;
    readonly voidsPendingUpload: number;
    readonly unusedNumbersPendingUpload: number;
  };
  /** What the start found and mended: the ledger's reconciliation and unreadable files (STO1, STO2). */
  readonly recovery: RecoveryReport & {
    readonly filesReadFromCopy: readonly string[];
    readonly unreadableDocuments: readonly UnreadableDocument[];
  };
  readonly network: Readonly<Record<string, number>>;
  /** Whether the cloud answers its health check (never sends anything). */
  readonly cloud: CloudReachability;
  /** EPI2–EPI3: the episode open now, or the countdown to the DIAN deadline. */
  readonly contingency: ContingencyStatus;
  /** RNG4: the next range held (null: none). */
  readonly nextRange: Numbering | null;
  /** RNG5: the position in the next range that the held key is certified for. */
  readonly nextPosition: { readonly from: number; readonly to: number } | null;
  /** RNG4: the last switch to a next range. */
  readonly rangeSwitch: { readonly at: string; readonly from: Numbering; readonly to: Numbering } | null;
  /** Upload runs in progress on any terminal, from the uploads document. */
  readonly uploads: readonly UploadRun[];
  /** PRN5: this terminal's receipt printer and the print jobs waiting, by printer (the banner). */
  readonly printing: PrintingHealth;
  readonly warnings: readonly string[];
}

export interface PrintingHealth {
  /** With its width, so the screen lays out a report's text at it (POST /api/print). */
  readonly receiptPrinter: {
    readonly id: string;
    readonly name: string;
    readonly columns: 32 | 42 | 48;
  } | null;
  readonly queued: number;
  readonly printers: readonly PrinterQueueState[];
  /** Job files that could not be read at start (kept aside as `*.unreadable`). */
  readonly unreadableJobs: number;
}

/** What printing did after a command: jobs on a printer, or the screen prints (`browser`). */
export interface PrintAnswer {
  readonly via: 'printer' | 'browser' | 'ask' | 'none';
  readonly jobs: readonly PrintJobSummary[];
}

export type PrintJobSummary = Omit<PrintJob, 'document'>;

/** GET /api/printers. */
export interface PrintersAnswer {
  readonly printers: readonly Printer[];
}
/** POST /api/printers → 201, PATCH /api/printers/{id}. */
export interface PrinterAnswer {
  readonly printer: Printer;
}
/** GET /api/stations. */
export interface StationsAnswer {
  readonly stations: readonly Station[];
}
/** PUT /api/stations/{stationId}. */
export interface StationAnswer {
  readonly station: Station;
}
/** GET /api/print-jobs: this terminal's jobs, newest first, and its printers' queues. */
export interface PrintJobsAnswer {
  readonly jobs: readonly PrintJobSummary[];
  readonly printers: readonly PrinterQueueState[];
}
/** A job queued, retried, redirected or cancelled. */
export interface PrintJobAnswer {
  readonly job: PrintJobSummary;
}
/** POST /api/drawer/open: recorded in the shift, then pulsed (job null: no receipt printer). */
export interface DrawerAnswer {
  readonly shiftId: string;
  readonly at: string;
  readonly by: { readonly id: string; readonly name: string };
  readonly reason: string;
  readonly job: PrintJobSummary | null;
}

/** GET /api/sync-info: what the screen's in-memory repo needs to find the store's documents. */
export interface SyncInfoAnswer {
  readonly storeId: string;
  readonly terminalId: string;
  readonly documents: {
    readonly store: string;
    readonly catalog: string;
    readonly floor: string;
    readonly uploads: string;
  };
  /** "caja-1/0" → document id. */
  readonly journals: Readonly<Record<string, string>>;
}

/** GET /api/catalog. */
export interface CatalogAnswer {
  readonly meta: CatalogMeta | null;
  readonly products: readonly Product[];
}

/** POST /api/catalog/scan: the product and, for a scale label, the quantity (kg) and the price it carried. */
export type ScanAnswer = Scanned;

/** POST /api/catalog/read ("Leer catálogo"), with the next range held (RNG4, RNG5). */
export type CatalogReadAnswer = CatalogReadResult & {
  readonly nextRange: Numbering | null;
  readonly nextPosition: { readonly from: number; readonly to: number } | null;
  readonly nextRangeProblem?: string;
};

/** CUS5–CUS7: GET /api/customers?q=. */
export interface CustomerSearchAnswer {
  readonly customers: readonly DirectoryEntry[];
  readonly directory: {
    readonly version: string | null;
    readonly readAt: string | null;
    readonly count: number;
  };
}

/** POST /api/sales → 201. */
export interface SaleAnswer {
  readonly invoice: Invoice;
  /** PRN2: the receipt (and drawer) jobs queued after the sale, or `browser` without a printer. */
  readonly print: PrintAnswer;
}

export interface InvoiceListItem {
  readonly invoice: Invoice;
  readonly voided: boolean;
  readonly voidedBy: CreditNote | null;
  /** RET1: its partial returns (credit-note requests with lines, concept 1), oldest first. */
  readonly returns: readonly CreditNote[];
}

/** GET /api/invoices. */
export interface InvoicesAnswer {
  readonly items: readonly InvoiceListItem[];
  readonly total: number;
  readonly nextCursor: string | null;
}

/** GET /api/invoices/{id}. */
export interface InvoiceDetailAnswer extends InvoiceListItem {
  readonly voidRequests: readonly CreditNote[];
}

/** POST /api/invoices/{id}/void. */
export interface VoidAnswer {
  readonly creditNote: CreditNote;
  readonly alreadyVoided: boolean;
}

/** POST /api/invoices/{id}/returns → 201. */
export interface ReturnAnswer {
  readonly creditNote: CreditNote;
  /** The returned invoice as the host's index holds it now, its returns included. */
  readonly invoice: IndexedInvoice;
}

/** POST /api/shifts/open → 201, GET /api/shifts/current. */
export interface ShiftAnswer {
  readonly shift: OpenShift;
}

/** POST /api/shifts/current/movements → 201. */
export interface MovementAnswer {
  readonly shiftId: string;
}

/** The X or Z report of a shift; POST /api/shifts/current/close answers the Z. */
export interface ShiftReportAnswer {
  readonly report: ShiftReport;
}

/** SHF6: GET /api/shifts/current/report?countedCash= — the Z the close would give. */
export type { ClosePreview };

/** GET /api/floor. */
export interface FloorAnswer {
  readonly areas: readonly Area[];
  readonly tables: readonly TableStatus[];
  readonly alerts: readonly {
    readonly kind: 'double-charge';
    readonly orderId: string;
    readonly tableId: string;
    readonly closes: Order['closes'];
  }[];
}

/** FLR8: POST /api/areas/{areaId}/tables → 201, PATCH /api/tables/{tableId}. */
export interface TableAnswer {
  readonly table: Table;
}

/** The table commands of the restaurant floor. */
export interface OrderAnswer {
  readonly order: Order;
}
export interface SendAnswer extends OrderAnswer {
  readonly ticket: string;
  /** PRN6: one comanda per station; `unrouted`: lines no printer took (print `ticket` instead). */
  readonly comandas: { readonly jobs: readonly PrintJobSummary[]; readonly unrouted: readonly string[] };
}
export interface BillAnswer extends OrderAnswer {
  readonly preBill: string;
}
export interface CloseTableAnswer extends OrderAnswer {
  readonly invoices: readonly Invoice[];
  /** PRN2: each part's receipt queued on the receipt printer (or `browser`). */
  readonly print: PrintAnswer;
}

/** GET /api/uploads/preflight, with the runs other terminals have going. */
export type PreflightAnswer = Preflight & { readonly otherUploads: readonly UploadRun[] };

/** POST /api/uploads → 202. */
export interface UploadStartAnswer {
  readonly id: string;
}

/** GET /api/uploads/{id}: a run of this terminal. */
export type UploadStatusAnswer = Omit<UploadStatus, 'itemIds'>;
export type { UploadState } from '../upload/uploader.js';
/** An item the cloud did not store (`rejected` or `conflict`), with its reason. */
export type UploadRejectedItem = UploadStatusAnswer['rejected'][number];

/** POST /api/uploads/{id}/cancel. */
export interface UploadCancelAnswer {
  readonly id: string;
  readonly state: UploadStatus['state'];
  readonly cancelling: true;
}

/** GET /api/uploads/{id}/report. */
export type UploadReportAnswer = UploadReport & { readonly run: UploadStatusAnswer };

/** EPI4: GET /api/contingency/episodes. */
export interface EpisodesAnswer {
  readonly current: ContingencyStatus;
  readonly windowHours: number;
  readonly episodes: readonly (Episode & {
    readonly invoices: number;
    readonly pendingUpload: number;
    readonly terminals: readonly string[];
  })[];
}

/** EPI5: POST /api/contingency/authorize → 201 (opened) or 200. */
export interface AuthorizeAnswer {
  readonly episode: Episode;
}

/** DIAN1: GET /api/dian/status — each uploaded document's transmission, from the cloud's read-back. */
export type DianStatusAnswer = DianStatus;
export type DianDocumentState = DianStatusAnswer['documents'][string];

export type { ContingencyStatus, Episode, OpenShift, ShiftReport, UploadRun };

/** DRF1: GET /api/cart, PUT /api/cart — the terminal's sale in progress (null: none). */
export interface CartAnswer {
  readonly cart: StoredCart | null;
}

/** DRF2: GET /api/parked-sales. */
export interface ParkedSalesAnswer {
  readonly sales: readonly ParkedSale[];
}

/** DRF2: POST /api/parked-sales → 201, DELETE /api/parked-sales/{id}. */
export interface ParkedSaleAnswer {
  readonly sale: ParkedSale;
}

/** DRF2: POST /api/parked-sales/{id}/restore — the sale is the cart now; the cart it replaced, aside. */
export interface RestoreParkedAnswer {
  readonly cart: StoredCart;
  readonly parkedInstead: ParkedSale | null;
}

export type { ParkedSale, SaleDraft, StoredCart };
