import type {
  AddLineBody,
  AddTableBody,
  BillAnswer,
  CancelLineBody,
  ChangeLineBody,
  CloseTableAnswer,
  CloseTableBody,
  OrderAnswer,
  SendAnswer,
  TableAnswer,
  UpdateTableBody,
} from '../../contract/host-api.js';
import { apiRequest } from './http.js';

/**
 * The restaurant floor's commands (comedores, src/host/api/floor-routes.ts). The screen reads the
 * floor from the live document; these change it through the host, which checks the rules.
 */
const table = (tableId: string) => `/api/tables/${encodeURIComponent(tableId)}`;
const line = (tableId: string, lineId: string) => `${table(tableId)}/lines/${encodeURIComponent(lineId)}`;

export const floorApi = {
  addTable: (areaId: string, body: AddTableBody, managerPin?: string) =>
    apiRequest<TableAnswer>('POST', `/api/areas/${encodeURIComponent(areaId)}/tables`, { body, managerPin }),
  updateTable: (tableId: string, body: UpdateTableBody, managerPin?: string) =>
    apiRequest<TableAnswer>('PATCH', table(tableId), { body, managerPin }),
  open: (tableId: string, diners: number) =>
    apiRequest<OrderAnswer>('POST', `${table(tableId)}/open`, { body: { diners } }),
  addLine: (tableId: string, body: AddLineBody) =>
    apiRequest<OrderAnswer>('POST', `${table(tableId)}/lines`, { body }),
  /** CMD3: idempotent by its commandId, like every command that changes a table's lines. */
  changeLine: (tableId: string, lineId: string, change: ChangeLineBody) =>
    apiRequest<OrderAnswer>('PATCH', line(tableId, lineId), { body: change }),
  /** The DELETE carries its commandId in a JSON body. */
  removeLine: (tableId: string, lineId: string, commandId: string) =>
    apiRequest<OrderAnswer>('DELETE', line(tableId, lineId), { body: { commandId } }),
  cancelLine: (tableId: string, lineId: string, body: CancelLineBody, managerPin?: string) =>
    apiRequest<OrderAnswer>('POST', `${line(tableId, lineId)}/cancel`, { body, managerPin }),
  send: (tableId: string) => apiRequest<SendAnswer>('POST', `${table(tableId)}/send`, { body: {} }),
  move: (tableId: string, to: string) =>
    apiRequest<OrderAnswer>('POST', `${table(tableId)}/move`, { body: { to } }),
  merge: (tableId: string, from: string) =>
    apiRequest<OrderAnswer>('POST', `${table(tableId)}/merge`, { body: { from } }),
  bill: (tableId: string, tip: number) =>
    apiRequest<BillAnswer>('POST', `${table(tableId)}/bill`, { body: { tip } }),
  close: (tableId: string, body: CloseTableBody, managerPin?: string) =>
    apiRequest<CloseTableAnswer>('POST', `${table(tableId)}/close`, {
      body,
      managerPin,
      timeoutMs: 45_000,
    }),
};
