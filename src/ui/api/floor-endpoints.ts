import type { Order } from '../../crdt/documents/floor-orders.js';
import type { Customer } from '../../domain/customer.js';
import type { Invoice } from '../../domain/invoice.js';
import type { PaymentMethod } from '../../domain/payment.js';
import type { SplitRequest } from '../../restaurant/floor.js';
import { apiRequest } from './http.js';

/**
 * The restaurant floor's commands (comedores, src/host/api/floor-routes.ts). The screen reads the
 * floor from the live document; these change it through the host, which checks the rules.
 */
export interface OrderAnswer {
  readonly order: Order;
}

export interface PaymentBody {
  readonly method: PaymentMethod;
  readonly amount: number;
}

export interface CloseTableBody {
  readonly commandId: string;
  /** One list per part when the bill is split. */
  readonly payments: readonly PaymentBody[] | readonly (readonly PaymentBody[])[];
  readonly tip?: number;
  readonly split?: SplitRequest;
  readonly customer?: Customer;
}

const table = (tableId: string) => `/api/tables/${encodeURIComponent(tableId)}`;
const line = (tableId: string, lineId: string) => `${table(tableId)}/lines/${encodeURIComponent(lineId)}`;

export interface TableAnswer {
  readonly table: { id: string; name: string; areaId: string; seats: number; position: number };
}

export const floorApi = {
  addTable: (areaId: string, body: { name: string; seats: number }, managerPin?: string) =>
    apiRequest<TableAnswer>('POST', `/api/areas/${encodeURIComponent(areaId)}/tables`, { body, managerPin }),
  updateTable: (tableId: string, body: { name?: string; seats?: number }, managerPin?: string) =>
    apiRequest<TableAnswer>('PATCH', table(tableId), { body, managerPin }),
  open: (tableId: string, diners: number) =>
    apiRequest<OrderAnswer>('POST', `${table(tableId)}/open`, { body: { diners } }),
  addLine: (tableId: string, body: { commandId: string; sku: string; quantity: number; note?: string }) =>
    apiRequest<OrderAnswer>('POST', `${table(tableId)}/lines`, { body }),
  /** CMD3: idempotent by its commandId, like every command that changes a table's lines. */
  changeLine: (
    tableId: string,
    lineId: string,
    change: { commandId: string; delta?: number; note?: string },
  ) => apiRequest<OrderAnswer>('PATCH', line(tableId, lineId), { body: change }),
  /** The DELETE carries its commandId in a JSON body. */
  removeLine: (tableId: string, lineId: string, commandId: string) =>
    apiRequest<OrderAnswer>('DELETE', line(tableId, lineId), { body: { commandId } }),
  cancelLine: (
    tableId: string,
    lineId: string,
    body: { commandId: string; quantity: number; reason: string },
    managerPin?: string,
  ) => apiRequest<OrderAnswer>('POST', `${line(tableId, lineId)}/cancel`, { body, managerPin }),
  send: (tableId: string) =>
    apiRequest<OrderAnswer & { ticket: string }>('POST', `${table(tableId)}/send`, { body: {} }),
  move: (tableId: string, to: string) =>
    apiRequest<OrderAnswer>('POST', `${table(tableId)}/move`, { body: { to } }),
  merge: (tableId: string, from: string) =>
    apiRequest<OrderAnswer>('POST', `${table(tableId)}/merge`, { body: { from } }),
  bill: (tableId: string, tip: number) =>
    apiRequest<OrderAnswer & { preBill: string }>('POST', `${table(tableId)}/bill`, { body: { tip } }),
  close: (tableId: string, body: CloseTableBody, managerPin?: string) =>
    apiRequest<{ invoices: Invoice[]; order: Order }>('POST', `${table(tableId)}/close`, {
      body,
      managerPin,
      timeoutMs: 45_000,
    }),
};
