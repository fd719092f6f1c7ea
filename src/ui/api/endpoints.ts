import type { PaymentMethod } from '../../domain/payment.js';
import type { CatalogMeta } from '../../crdt/documents/catalog-doc.js';
import type { Product } from '../../domain/catalog.js';
import type { CreditNote, Invoice } from '../../domain/invoice.js';
import { apiRequest } from './http.js';
import type {
  DianStatusAnswer,
  CatalogReadAnswer,
  ClosePreview,
  CustomerSearchAnswer,
  EpisodesAnswer,
  HealthInfo,
  InvoiceDetailAnswer,
  OpenShift,
  PreflightAnswer,
  SaleBody,
  SessionAnswer,
  ShiftReport,
  SyncInfo,
  UploadReportAnswer,
  UploadStatusAnswer,
  UserSummary,
  VoidAnswer,
} from './types.js';

/** One typed function per host endpoint the UI calls. */
export const api = {
  users: () => apiRequest<{ users: UserSummary[] }>('GET', '/api/users'),
  /** The log-in names its user: only that user's PIN is checked, and only that user is locked (PIN2). */
  login: (pin: string, userId: string) =>
    apiRequest<SessionAnswer>('POST', '/api/session', { body: { pin, userId } }),
  session: () => apiRequest<{ user: UserSummary }>('GET', '/api/session'),
  logout: () => apiRequest<undefined>('DELETE', '/api/session'),
  health: () => apiRequest<HealthInfo>('GET', '/api/health', { timeoutMs: 5_000 }),
  syncInfo: () => apiRequest<SyncInfo>('GET', '/api/sync-info'),
  catalog: () =>
    apiRequest<{ meta: CatalogMeta | null; products: Product[] }>('GET', '/api/catalog', {
      timeoutMs: 30_000,
    }),
  /** DIAN1: each uploaded document's transmission to the DIAN (the cloud's read-back). */
  dianStatus: () => apiRequest<DianStatusAnswer>('GET', '/api/dian/status', { timeoutMs: 30_000 }),
  /** EPI5: a manager authorizes selling offline while the cloud answers. */
  authorizeOffline: (reason: string, managerPin?: string) =>
    apiRequest<{ episode: { id: string } }>('POST', '/api/contingency/authorize', {
      body: { reason },
      managerPin,
    }),
  readCatalog: (managerPin?: string) =>
    apiRequest<CatalogReadAnswer>('POST', '/api/catalog/read', { body: {}, managerPin, timeoutMs: 60_000 }),
  /** CUS5: the customer directory searched by identification or name. */
  searchCustomers: (q: string) =>
    apiRequest<CustomerSearchAnswer>('GET', `/api/customers?q=${encodeURIComponent(q)}`),
  openShift: (openingCash: number, commandId: string) =>
    apiRequest<{ shift: OpenShift }>('POST', '/api/shifts/open', { body: { openingCash, commandId } }),
  currentShift: () => apiRequest<{ shift: OpenShift }>('GET', '/api/shifts/current'),
  cashMovement: (movement: { type: 'in' | 'out'; amount: number; reason: string }, commandId: string) =>
    apiRequest<{ shiftId: string }>('POST', '/api/shifts/current/movements', {
      body: { ...movement, commandId },
    }),
  shiftReport: () => apiRequest<{ report: ShiftReport }>('GET', '/api/shifts/current/report'),
  /** SHF6: the Z the close would give with this count, and whether it needs a manager and a note. */
  closePreview: (countedCash: number) =>
    apiRequest<ClosePreview>('GET', `/api/shifts/current/report?countedCash=${String(countedCash)}`),
  closeShift: (countedCash: number, commandId: string, managerPin?: string, note?: string) =>
    apiRequest<{ report: ShiftReport }>('POST', '/api/shifts/current/close', {
      body: { countedCash, commandId, ...(note ? { note } : {}) },
      managerPin,
    }),
  sell: (body: SaleBody, managerPin?: string) =>
    apiRequest<{ invoice: Invoice }>('POST', '/api/sales', { body, managerPin, timeoutMs: 30_000 }),
  invoice: (id: string) => apiRequest<InvoiceDetailAnswer>('GET', `/api/invoices/${encodeURIComponent(id)}`),
  contingencyEpisodes: () => apiRequest<EpisodesAnswer>('GET', '/api/contingency/episodes'),
  contingencyReportHtml: (id: string) =>
    apiRequest<string>('GET', `/api/contingency/episodes/${encodeURIComponent(id)}/report?format=html`, {
      text: true,
      timeoutMs: 30_000,
    }),
  receiptHtml: (id: string) =>
    apiRequest<string>('GET', `/api/invoices/${encodeURIComponent(id)}/receipt?format=html`, { text: true }),
  voidInvoice: (
    id: string,
    reason: string,
    commandId: string,
    managerPin?: string,
    options: { concept?: '2' | '3' | '4'; refundMethod?: PaymentMethod } = {},
  ) =>
    apiRequest<VoidAnswer>('POST', `/api/invoices/${encodeURIComponent(id)}/void`, {
      body: {
        reason,
        commandId,
        ...(options.concept ? { concept: options.concept } : {}),
        ...(options.refundMethod ? { refund: { method: options.refundMethod } } : {}),
      },
      managerPin,
    }),
  /** RET1: a partial return of some products of an invoice (concept 1). */
  returnLines: (
    id: string,
    body: {
      readonly commandId: string;
      readonly reason: string;
      readonly lines: readonly { readonly sku: string; readonly quantity: number }[];
      readonly refund: { readonly method: PaymentMethod };
    },
    managerPin?: string,
  ) =>
    apiRequest<{ creditNote: CreditNote }>('POST', `/api/invoices/${encodeURIComponent(id)}/returns`, {
      body,
      managerPin,
    }),
  uploadPreflight: (managerPin?: string) =>
    apiRequest<PreflightAnswer>('GET', '/api/uploads/preflight', { managerPin, timeoutMs: 30_000 }),
  startUpload: (managerPin?: string) =>
    apiRequest<{ id: string }>('POST', '/api/uploads', { body: {}, managerPin }),
  uploadStatus: (id: string, managerPin?: string) =>
    apiRequest<UploadStatusAnswer>('GET', `/api/uploads/${encodeURIComponent(id)}`, { managerPin }),
  cancelUpload: (id: string, managerPin?: string) =>
    apiRequest<{ id: string; state: string; cancelling: boolean }>(
      'POST',
      `/api/uploads/${encodeURIComponent(id)}/cancel`,
      { body: {}, managerPin },
    ),
  /** The report reads every offline sale back from the cloud: it can take a while. */
  uploadReport: (id: string, managerPin?: string) =>
    apiRequest<UploadReportAnswer>('GET', `/api/uploads/${encodeURIComponent(id)}/report`, {
      managerPin,
      timeoutMs: 120_000,
    }),
};
