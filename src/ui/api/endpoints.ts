import type { PaymentMethod } from '../../domain/payment.js';
import type {
  AuthorizeAnswer,
  CartAnswer,
  ParkedSaleAnswer,
  ParkedSalesAnswer,
  RestoreParkedAnswer,
  SaleDraft,
  CatalogAnswer,
  CatalogReadAnswer,
  ClosePreview,
  CurrentSessionAnswer,
  ElevateAnswer,
  DrawerAnswer,
  CustomerSearchAnswer,
  DianStatusAnswer,
  EpisodesAnswer,
  HealthAnswer,
  InvoiceDetailAnswer,
  MovementAnswer,
  MovementBody,
  PreflightAnswer,
  PrinterAnswer,
  PrinterBody,
  PrinterPatch,
  PrintersAnswer,
  PrintJobAnswer,
  PrintJobsAnswer,
  ReturnAnswer,
  ReturnBody,
  SaleAnswer,
  SaleBody,
  ScanAnswer,
  ScanBody,
  SessionAnswer,
  ShiftAnswer,
  ShiftReportAnswer,
  StationAnswer,
  StationBody,
  StationsAnswer,
  SyncInfoAnswer,
  UploadCancelAnswer,
  UploadReportAnswer,
  UploadStartAnswer,
  UploadStatusAnswer,
  UsersAnswer,
  VoidAnswer,
} from '../../contract/host-api.js';
import { apiRequest } from './http.js';

const printer = (id: string) => `/api/printers/${encodeURIComponent(id)}`;
const printJob = (id: string) => `/api/print-jobs/${encodeURIComponent(id)}`;

/** One typed function per host endpoint the UI calls. */
export const api = {
  users: () => apiRequest<UsersAnswer>('GET', '/api/users'),
  /** The log-in names its user: only that user's PIN is checked, and only that user is locked (PIN2). */
  login: (pin: string, userId: string) =>
    apiRequest<SessionAnswer>('POST', '/api/session', { body: { pin, userId } }),
  session: () => apiRequest<CurrentSessionAnswer>('GET', '/api/session'),
  /** PIN4: is this a manager's PIN? Checked before the action it authorizes. */
  elevate: (pin: string) => apiRequest<ElevateAnswer>('POST', '/api/session/elevate', { body: { pin } }),
  logout: (token?: string) =>
    apiRequest<undefined>('DELETE', '/api/session', token === undefined ? {} : { token }),
  /** DRF1: the sale in progress, kept on the terminal. */
  cart: () => apiRequest<CartAnswer>('GET', '/api/cart'),
  saveCart: (draft: SaleDraft | null, keepalive = false) =>
    apiRequest<CartAnswer>('PUT', '/api/cart', { body: { draft }, keepalive }),
  /** DRF2: "Ventas en espera". */
  parkedSales: () => apiRequest<ParkedSalesAnswer>('GET', '/api/parked-sales'),
  park: (body: { draft?: SaleDraft; ownerId?: string }) =>
    apiRequest<ParkedSaleAnswer>('POST', '/api/parked-sales', { body }),
  restoreParked: (id: string) =>
    apiRequest<RestoreParkedAnswer>('POST', `/api/parked-sales/${encodeURIComponent(id)}/restore`),
  discardParked: (id: string) =>
    apiRequest<ParkedSaleAnswer>('DELETE', `/api/parked-sales/${encodeURIComponent(id)}`),
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
  /** The report as text at 42 or 48 columns, for the receipt printer. */
  contingencyReportText: (id: string, width: 42 | 48) =>
    apiRequest<string>(
      'GET',
      `/api/contingency/episodes/${encodeURIComponent(id)}/report?format=text&width=${width}`,
      { text: true, timeoutMs: 30_000 },
    ),
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
  // PRN1–PRN7: printers, stations and print jobs (manager), a receipt printed again, a text printed.
  printers: (managerPin?: string) => apiRequest<PrintersAnswer>('GET', '/api/printers', { managerPin }),
  addPrinter: (body: PrinterBody, managerPin?: string) =>
    apiRequest<PrinterAnswer>('POST', '/api/printers', { body, managerPin }),
  updatePrinter: (id: string, patch: PrinterPatch, managerPin?: string) =>
    apiRequest<PrinterAnswer>('PATCH', printer(id), { body: patch, managerPin }),
  removePrinter: (id: string, managerPin?: string) =>
    apiRequest<PrinterAnswer>('DELETE', printer(id), { managerPin }),
  testPrinter: (id: string, managerPin?: string) =>
    apiRequest<PrintJobAnswer>('POST', `${printer(id)}/test`, { body: {}, managerPin }),
  stations: (managerPin?: string) => apiRequest<StationsAnswer>('GET', '/api/stations', { managerPin }),
  putStation: (id: string, body: StationBody, managerPin?: string) =>
    apiRequest<StationAnswer>('PUT', `/api/stations/${encodeURIComponent(id)}`, { body, managerPin }),
  removeStation: (id: string, managerPin?: string) =>
    apiRequest<StationAnswer>('DELETE', `/api/stations/${encodeURIComponent(id)}`, { managerPin }),
  printJobs: (managerPin?: string) => apiRequest<PrintJobsAnswer>('GET', '/api/print-jobs', { managerPin }),
  retryJob: (id: string, managerPin?: string) =>
    apiRequest<PrintJobAnswer>('POST', `${printJob(id)}/retry`, { body: {}, managerPin }),
  redirectJob: (id: string, printerId: string, managerPin?: string) =>
    apiRequest<PrintJobAnswer>('POST', `${printJob(id)}/redirect`, { body: { printerId }, managerPin }),
  cancelJob: (id: string, managerPin?: string) =>
    apiRequest<PrintJobAnswer>('POST', `${printJob(id)}/cancel`, { body: {}, managerPin }),
  /** PRN2: the receipt on this terminal's receipt printer ("COPIA" when printed before). */
  printInvoice: (id: string) =>
    apiRequest<PrintJobAnswer>('POST', `/api/invoices/${encodeURIComponent(id)}/print`, { body: {} }),
  /** A pre-bill or a report, laid out as text at the receipt printer's width. */
  printText: (kind: 'prebill' | 'report', title: string, text: string) =>
    apiRequest<PrintJobAnswer>('POST', '/api/print', { body: { kind, title, text } }),
  /** PRN7: "Abrir cajón" (manager), recorded in the shift. */
  openDrawer: (reason: string, commandId: string, managerPin?: string) =>
    apiRequest<DrawerAnswer>('POST', '/api/drawer/open', { body: { commandId, reason }, managerPin }),
};
