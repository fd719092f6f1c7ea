import type { PaymentMethod } from '../../domain/payment.js';
import type {
  AuthorizeAnswer,
  CatalogAnswer,
  CatalogReadAnswer,
  ClosePreview,
  CurrentSessionAnswer,
  CustomerSearchAnswer,
  DianStatusAnswer,
  EpisodesAnswer,
  HealthAnswer,
  InvoiceDetailAnswer,
  MovementAnswer,
  MovementBody,
  PreflightAnswer,
  ReturnAnswer,
  ReturnBody,
  SaleAnswer,
  SaleBody,
  ScanAnswer,
  ScanBody,
  SessionAnswer,
  ShiftAnswer,
  ShiftReportAnswer,
  SyncInfoAnswer,
  UploadCancelAnswer,
  UploadReportAnswer,
  UploadStartAnswer,
  UploadStatusAnswer,
  UsersAnswer,
  VoidAnswer,
} from '../../contract/host-api.js';
import { apiRequest } from './http.js';

/** One typed function per host endpoint the UI calls. */
export const api = {
  users: () => apiRequest<UsersAnswer>('GET', '/api/users'),
  /** The log-in names its user: only that user's PIN is checked, and only that user is locked (PIN2). */
  login: (pin: string, userId: string) =>
    apiRequest<SessionAnswer>('POST', '/api/session', { body: { pin, userId } }),
  session: () => apiRequest<CurrentSessionAnswer>('GET', '/api/session'),
  logout: () => apiRequest<undefined>('DELETE', '/api/session'),
  health: () => apiRequest<HealthAnswer>('GET', '/api/health', { timeoutMs: 5_000 }),
  syncInfo: () => apiRequest<SyncInfoAnswer>('GET', '/api/sync-info'),
  catalog: () =>
    apiRequest<CatalogAnswer>('GET', '/api/catalog', {
      timeoutMs: 30_000,
    }),
  /** DIAN1: each uploaded document's transmission to the DIAN (the cloud's read-back). */
  dianStatus: () => apiRequest<DianStatusAnswer>('GET', '/api/dian/status', { timeoutMs: 30_000 }),
  /** EPI5: a manager authorizes selling offline while the cloud answers. */
  authorizeOffline: (reason: string, managerPin?: string) =>
    apiRequest<AuthorizeAnswer>('POST', '/api/contingency/authorize', {
      body: { reason },
      managerPin,
    }),
  /** SCL3: the product a scanned code adds (a barcode, a SKU, or a scale label with its weight or price). */
  scan: (code: string) =>
    apiRequest<ScanAnswer>('POST', '/api/catalog/scan', { body: { code } satisfies ScanBody }),
  readCatalog: (managerPin?: string) =>
    apiRequest<CatalogReadAnswer>('POST', '/api/catalog/read', { body: {}, managerPin, timeoutMs: 60_000 }),
  /** CUS5: the customer directory searched by identification or name. */
  searchCustomers: (q: string) =>
    apiRequest<CustomerSearchAnswer>('GET', `/api/customers?q=${encodeURIComponent(q)}`),
  openShift: (openingCash: number, commandId: string) =>
    apiRequest<ShiftAnswer>('POST', '/api/shifts/open', { body: { openingCash, commandId } }),
  currentShift: () => apiRequest<ShiftAnswer>('GET', '/api/shifts/current'),
  cashMovement: (movement: Omit<MovementBody, 'commandId'>, commandId: string) =>
    apiRequest<MovementAnswer>('POST', '/api/shifts/current/movements', {
      body: { ...movement, commandId },
    }),
  shiftReport: () => apiRequest<ShiftReportAnswer>('GET', '/api/shifts/current/report'),
  /** SHF6: the Z the close would give with this count, and whether it needs a manager and a note. */
  closePreview: (countedCash: number) =>
    apiRequest<ClosePreview>('GET', `/api/shifts/current/report?countedCash=${String(countedCash)}`),
  closeShift: (countedCash: number, commandId: string, managerPin?: string, note?: string) =>
    apiRequest<ShiftReportAnswer>('POST', '/api/shifts/current/close', {
      body: { countedCash, commandId, ...(note ? { note } : {}) },
      managerPin,
    }),
  sell: (body: SaleBody, managerPin?: string) =>
    apiRequest<SaleAnswer>('POST', '/api/sales', { body, managerPin, timeoutMs: 30_000 }),
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
  returnLines: (id: string, body: ReturnBody, managerPin?: string) =>
    apiRequest<ReturnAnswer>('POST', `/api/invoices/${encodeURIComponent(id)}/returns`, {
      body,
      managerPin,
    }),
  uploadPreflight: (managerPin?: string) =>
    apiRequest<PreflightAnswer>('GET', '/api/uploads/preflight', { managerPin, timeoutMs: 30_000 }),
  startUpload: (managerPin?: string) =>
    apiRequest<UploadStartAnswer>('POST', '/api/uploads', { body: {}, managerPin }),
  uploadStatus: (id: string, managerPin?: string) =>
    apiRequest<UploadStatusAnswer>('GET', `/api/uploads/${encodeURIComponent(id)}`, { managerPin }),
  cancelUpload: (id: string, managerPin?: string) =>
    apiRequest<UploadCancelAnswer>('POST', `/api/uploads/${encodeURIComponent(id)}/cancel`, {
      body: {},
      managerPin,
    }),
  /** The report reads every offline sale back from the cloud: it can take a while. */
  uploadReport: (id: string, managerPin?: string) =>
    apiRequest<UploadReportAnswer>('GET', `/api/uploads/${encodeURIComponent(id)}/report`, {
      managerPin,
      timeoutMs: 120_000,
    }),
};
