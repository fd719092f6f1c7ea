import type { DirectoryEntry } from '../../domain/customer-directory.js';
import type { FiscalSettings, SalesChannel } from '../../domain/channel.js';
import type { Customer } from '../../domain/customer.js';
import type { Numbering } from '../../domain/schemas.js';
import type { CreditNote, Invoice } from '../../domain/invoice.js';
import type { PaymentMethod } from '../../domain/payment.js';
import type { RangeStatus } from '../../invoice/numbering.js';
import type { OpenShift, ShiftReport } from '../../invoice/shift-report.js';
import type { UploadRun } from '../../crdt/documents/uploads-doc.js';
import type { Preflight } from '../../upload/preflight.js';
import type { DianSummary, UploadReport } from '../../upload/report.js';

/**
 * The shapes of the terminal host's JSON API as the UI uses them (README, "The terminal's JSON
 * API"). Written out here because the host's own modules use Node APIs the browser cannot load.
 */
export type Role = 'cashier' | 'manager';

export interface UserSummary {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
}

export interface SessionAnswer {
  readonly token: string;
  readonly user: UserSummary;
}

export interface PeerHealth {
  readonly terminalId: string;
  readonly url: string | null;
  readonly connected: boolean;
  readonly lastSeenAt: string | null;
}

export interface HealthInfo {
  readonly status: 'ok';
  readonly storeId: string;
  readonly storeName: string;
  readonly terminalId: string;
  readonly terminalName: string;
  readonly peers: readonly PeerHealth[];
  readonly peersConnected: number;
  readonly terminalsInStore: number;
  readonly catalog: {
    readonly version: string | null;
    readonly readAt: string | null;
    readonly ageHours: number | null;
    readonly products: number;
  };
  readonly numbering: RangeStatus;
  readonly shift: OpenShift | null;
  readonly invoices: {
    readonly total: number;
    readonly pendingUpload: number;
    readonly voidsPendingUpload: number;
    readonly unusedNumbersPendingUpload: number;
  };
  readonly quarantined: {
    readonly count: number;
    /** Journal records the host's checks left out, "<terminal>/<seq>" (absent from older hosts). */
    readonly entries?: readonly string[];
  };
  /** WRT2: whether the host can write to its disk (absent from older hosts). */
  readonly storage?: {
    readonly writable: boolean;
    readonly failure: { readonly reason: string; readonly message: string; readonly since: string } | null;
  };
  /** CLK1, CLK2 (absent from older hosts). */
  readonly clock?: {
    readonly behindOwnLastEntrySeconds: number;
    readonly skewedPeers: readonly { readonly terminalId: string; readonly skewSeconds: number }[];
  };
  readonly warnings: readonly string[];
  /** Line discounts above this percentage need a manager's PIN. Absent from older hosts. */
  readonly discountLimitPercent?: number;
  /** The store's restaurant regime and tip base (CHN2, TIP2). Absent from older hosts. */
  readonly fiscal?: FiscalSettings;
  /** Whether the cloud answers its health check (never sends anything). Absent from older hosts. */
  readonly cloud?: CloudReachability;
  /** Upload runs in progress on any terminal, from the uploads document. */
  readonly uploads?: readonly UploadRun[];
  /** RNG4: the next range held (null: none) and the last switch to one (absent from older hosts). */
  readonly nextRange?: Numbering | null;
  /** RNG5: the position in the next range that the held key is certified for. */
  readonly nextPosition?: { readonly from: number; readonly to: number } | null;
  readonly rangeSwitch?: { readonly at: string; readonly from: Numbering; readonly to: Numbering } | null;
  /** EPI2–EPI3: the episode open now, or the countdown to the DIAN deadline (absent from older hosts). */
  readonly contingency?: ContingencyStatus;
}

export type { ContingencyStatus } from '../../domain/episode.js';
import type { ContingencyStatus } from '../../domain/episode.js';

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
import type { Episode } from '../../domain/episode.js';

export interface CloudReachability {
  readonly reachable: boolean | null;
  readonly checkedAt: string | null;
  readonly reason: string | null;
}

export interface SyncInfo {
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

export interface CatalogReadAnswer {
  readonly version: string;
  readonly notModified: boolean;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly priceChanges: readonly { sku: string; name: string; from: number; to: number }[];
  readonly changed: readonly string[];
  /** CUS5: the customer directory read with the catalog (null: the cloud offers none). */
  readonly customers?: {
    readonly version: string;
    readonly notModified: boolean;
    readonly added: number;
    readonly changed: number;
    readonly removed: number;
    readonly count: number;
  } | null;
}

/** CUS5–CUS7: `GET /api/customers?q=`. */
export interface CustomerSearchAnswer {
  readonly customers: readonly DirectoryEntry[];
  readonly directory: {
    readonly version: string | null;
    readonly readAt: string | null;
    readonly count: number;
  };
}

export interface SaleLineBody {
  readonly sku: string;
  readonly quantity: number;
  readonly discountPercent?: number;
}

export interface SaleBody {
  readonly commandId: string;
  readonly lines: readonly SaleLineBody[];
  readonly payments: readonly { method: PaymentMethod; amount: number }[];
  readonly customer?: Customer;
  readonly tip?: number;
  readonly channel?: SalesChannel;
}

export interface InvoiceDetailAnswer {
  readonly invoice: Invoice;
  readonly voided: boolean;
  readonly voidedBy: CreditNote | null;
  readonly voidRequests: readonly CreditNote[];
}

export interface VoidAnswer {
  readonly creditNote: CreditNote;
  readonly alreadyVoided: boolean;
}

export type UploadState = 'running' | 'done' | 'failed' | 'cancelled';

/** An item the cloud did not store (`rejected` or `conflict`), with its reason. */
export interface UploadRejectedItem {
  readonly id: string;
  readonly number: string;
  readonly terminalId: string;
  readonly kind: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}

/** GET /api/uploads/{id}: a run of this terminal (src/upload/uploader.ts UploadStatus). */
export interface UploadStatusAnswer {
  readonly id: string;
  readonly state: UploadState;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly by: { readonly id: string; readonly name: string };
  readonly total: number;
  readonly sent: number;
  readonly created: number;
  readonly duplicate: number;
  readonly rejected: readonly UploadRejectedItem[];
  readonly perTerminal: Readonly<Record<string, { readonly total: number; readonly sent: number }>>;
  /** Items per second so far, and the seconds left at that rate. */
  readonly rate: number;
  readonly secondsLeft: number | null;
  readonly attempts: number;
  readonly lastError: string | null;
}

/** GET /api/uploads/preflight, with the runs other terminals have going. */
export type PreflightAnswer = Preflight & { readonly otherUploads: readonly UploadRun[] };

/** GET /api/uploads/{id}/report. */
export type UploadReportAnswer = UploadReport & { readonly run: UploadStatusAnswer };

export type { OpenShift, ShiftReport, UploadRun };

/** SHF6: GET /api/shifts/current/report?countedCash= */
export interface ClosePreview {
  readonly report: ShiftReport;
  readonly differenceLimit: number;
  readonly needsManager: boolean;
  readonly needsNote: boolean;
}

/** DIAN1: GET /api/dian/status — each uploaded document's transmission, from the cloud's read-back. */
export interface DianDocumentState {
  readonly status: 'pending' | 'transmitted' | 'rejected';
  readonly cufe?: string;
  readonly transmittedAt?: string;
  readonly reason?: string;
}
export interface DianStatusAnswer {
  readonly readAt: string;
  readonly documents: Readonly<Record<string, DianDocumentState>>;
  readonly summary: DianSummary | null;
}
