import type { Invoice } from '../../domain/invoice.js';
import { apiRequest } from './http.js';
import type {
  CatalogReadAnswer,
  HealthInfo,
  InvoiceDetailAnswer,
  OpenShift,
  SaleBody,
  SessionAnswer,
  ShiftReport,
  SyncInfo,
  UserSummary,
  VoidAnswer,
} from './types.js';

/** One typed function per host endpoint the UI calls. */
export const api = {
  users: () => apiRequest<{ users: UserSummary[] }>('GET', '/api/users'),
  login: (pin: string) => apiRequest<SessionAnswer>('POST', '/api/session', { body: { pin } }),
  session: () => apiRequest<{ user: UserSummary }>('GET', '/api/session'),
  logout: () => apiRequest<undefined>('DELETE', '/api/session'),
  health: () => apiRequest<HealthInfo>('GET', '/api/health', { timeoutMs: 5_000 }),
  syncInfo: () => apiRequest<SyncInfo>('GET', '/api/sync-info'),
  readCatalog: (managerPin?: string) =>
    apiRequest<CatalogReadAnswer>('POST', '/api/catalog/read', { body: {}, managerPin, timeoutMs: 60_000 }),
  openShift: (openingCash: number, commandId: string) =>
    apiRequest<{ shift: OpenShift }>('POST', '/api/shifts/open', { body: { openingCash, commandId } }),
  currentShift: () => apiRequest<{ shift: OpenShift }>('GET', '/api/shifts/current'),
  cashMovement: (movement: { type: 'in' | 'out'; amount: number; reason: string }, commandId: string) =>
    apiRequest<{ shiftId: string }>('POST', '/api/shifts/current/movements', {
      body: { ...movement, commandId },
    }),
  shiftReport: () => apiRequest<{ report: ShiftReport }>('GET', '/api/shifts/current/report'),
  closeShift: (countedCash: number, commandId: string, managerPin?: string) =>
    apiRequest<{ report: ShiftReport }>('POST', '/api/shifts/current/close', {
      body: { countedCash, commandId },
      managerPin,
    }),
  sell: (body: SaleBody, managerPin?: string) =>
    apiRequest<{ invoice: Invoice }>('POST', '/api/sales', { body, managerPin, timeoutMs: 30_000 }),
  invoice: (id: string) => apiRequest<InvoiceDetailAnswer>('GET', `/api/invoices/${encodeURIComponent(id)}`),
  receiptHtml: (id: string) =>
    apiRequest<string>('GET', `/api/invoices/${encodeURIComponent(id)}/receipt?format=html`, { text: true }),
  voidInvoice: (id: string, reason: string, commandId: string, managerPin?: string) =>
    apiRequest<VoidAnswer>('POST', `/api/invoices/${encodeURIComponent(id)}/void`, {
      body: { reason, commandId },
      managerPin,
    }),
};
