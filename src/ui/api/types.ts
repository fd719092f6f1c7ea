import type { Customer } from '../../domain/customer.js';
import type { CreditNote, Invoice } from '../../domain/invoice.js';
import type { PaymentMethod } from '../../domain/payment.js';
import type { RangeStatus } from '../../invoice/numbering.js';
import type { OpenShift, ShiftReport } from '../../invoice/shift-report.js';

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
  };
  readonly quarantined: { readonly count: number };
  readonly warnings: readonly string[];
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

export type { OpenShift, ShiftReport };
