import { ImmutableString } from '@automerge/automerge';
import { z } from 'zod';
import { canonicalJson } from '../../domain/canonical-json.js';
import { nameSchema, slugSchema } from '../../domain/schemas.js';
import type { FloorPlan } from '../../contract/cloud.js';
import type { DocumentKind } from './document-kind.js';
import { readOrder, type Order } from './floor-orders.js';
import { immutableJson, isRecord, type QuarantinedItem } from './quarantine.js';

/**
 * The restaurant floor, shared and edited by every terminal: areas and tables (each an immutable
 * value a manager may replace, e.g. to rename a table) and, later, the open orders.
 */
export const floorKind: DocumentKind = {
  type: 'floor',
  schemaVersion: 1,
  skeleton: () => ({ type: 'floor', schemaVersion: 1, areas: {}, tables: {}, orders: {} }),
  migrations: [],
};

export const FLOOR_DOC_NAME = 'floor/v1';

export const areaSchema = z.strictObject({ id: slugSchema, name: nameSchema, position: z.int().min(0) });
export const tableSchema = z.strictObject({
  id: slugSchema,
  name: nameSchema,
  areaId: slugSchema,
  seats: z.int().min(1).max(50),
  position: z.int().min(0),
});
export type Area = z.infer<typeof areaSchema>;
export type Table = z.infer<typeof tableSchema>;

export interface FloorView {
  readonly areas: readonly Area[];
  readonly tables: readonly Table[];
  readonly orders: readonly Order[];
}

export function readFloor(doc: unknown): {
  view: FloorView;
  quarantined: Omit<QuarantinedItem, 'document'>[];
} {
  const quarantined: Omit<QuarantinedItem, 'document'>[] = [];
  const record = isRecord(doc) ? doc : {};
  const read = <T extends { id: string }>(field: string, schema: z.ZodType<T>): T[] => {
    const out: T[] = [];
    const map = isRecord(record[field]) ? record[field] : {};
    for (const [key, value] of Object.entries(map)) {
      const json = immutableJson(value);
      const parsed = json.ok ? schema.safeParse(json.value) : undefined;
      if (parsed?.success && parsed.data.id === key) out.push(parsed.data);
      else quarantined.push({ path: `${field}/${key}`, reason: json.ok ? `invalid-${field}` : json.reason });
    }
    return out;
  };
  const byPosition = (a: { position: number; id: string }, b: { position: number; id: string }) =>
    a.position - b.position || (a.id < b.id ? -1 : 1);
  const orders: Order[] = [];
  for (const [id, raw] of Object.entries(isRecord(record.orders) ? record.orders : {})) {
    const order = readOrder(id, raw, quarantined);
    if (order) orders.push(order);
  }
  orders.sort((a, b) => (a.openedAt < b.openedAt ? -1 : a.openedAt > b.openedAt ? 1 : a.id < b.id ? -1 : 1));
  return {
    view: {
      areas: read('areas', areaSchema).sort(byPosition),
      tables: read('tables', tableSchema).sort(byPosition),
      orders,
    },
    quarantined,
  };
}

/**
 * Add the provisioned floor plan's areas and tables that the document does not have yet; what is
 * there (possibly renamed by a manager) is left alone.
 */
export function seedFloor(doc: Record<string, unknown>, plan: FloorPlan): boolean {
  const areas = doc.areas as Record<string, unknown>;
  const tables = doc.tables as Record<string, unknown>;
  let changed = false;
  let tablePosition = 0;
  plan.areas.forEach((area, areaPosition) => {
    if (!(area.id in areas)) {
      areas[area.id] = new ImmutableString(
        canonicalJson({ id: area.id, name: area.name, position: areaPosition }),
      );
      changed = true;
    }
    for (const table of area.tables) {
      if (!(table.id in tables)) {
        const value: Table = {
          id: table.id,
          name: table.name,
          areaId: area.id,
          seats: table.seats,
          position: tablePosition,
        };
        tables[table.id] = new ImmutableString(canonicalJson(value));
        changed = true;
      }
      tablePosition += 1;
    }
  });
  return changed;
}

/**
 * Write a table (a manager adding one, or renaming one: the whole value is replaced, so two
 * renames at once end with one of the names on every terminal, never a mix).
 */
export function putTable(doc: Record<string, unknown>, table: Table): void {
  (doc.tables as Record<string, unknown>)[table.id] = new ImmutableString(canonicalJson(table));
}
