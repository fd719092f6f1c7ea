import { putTable, type Table } from '../crdt/documents/floor-doc.js';
import type { StoreDocuments } from '../crdt/store-documents.js';
import { err, ok, type Result } from '../domain/result.js';

export type FloorPlanReason = 'unknown-table' | 'unknown-area' | 'table-name-taken';

/**
 * FLR8: the floor plan a manager changes on a terminal — tables added to an area, renamed or given
 * other seats — in the shared floor document, so every terminal sees it. Orders are
 * src/restaurant/service.ts; a table's id never changes, so its orders stay with it.
 */
export class FloorPlanEditor {
  constructor(private readonly docs: StoreDocuments) {}

  private table(tableId: string) {
    return this.docs.floor.tables.find((t) => t.id === tableId);
  }

  /** A table's name must tell it apart on the floor map: no other table may carry it. */
  private nameTaken(name: string, except?: string): boolean {
    const wanted = name.trim().toLocaleLowerCase('es-CO');
    return this.docs.floor.tables.some(
      (t) => t.id !== except && t.name.trim().toLocaleLowerCase('es-CO') === wanted,
    );
  }

  /** FLR8: a manager adds a table to an area, at the end of the floor. `suffix` makes its id unique. */
  async addTable(
    areaId: string,
    t: { name: string; seats: number },
    suffix: string,
  ): Promise<Result<Table, FloorPlanReason>> {
    if (!this.docs.floor.areas.some((a) => a.id === areaId)) return err('unknown-area', `no area ${areaId}`);
    if (this.nameTaken(t.name)) return err('table-name-taken', `a table is already called ${t.name}`);
    const table: Table = {
      id: `${areaId.slice(0, 30)}-${suffix}`.slice(0, 40),
      name: t.name.trim(),
      areaId,
      seats: t.seats,
      position: Math.max(-1, ...this.docs.floor.tables.map((x) => x.position)) + 1,
    };
    await this.docs.changeShared('floor', (d) => {
      putTable(d, table);
    });
    return ok(table);
  }

  /** FLR8: a manager renames a table (or changes its seats); its orders stay with it. */
  async updateTable(
    tableId: string,
    change: { name?: string | undefined; seats?: number | undefined },
  ): Promise<Result<Table, FloorPlanReason>> {
    const current = this.table(tableId);
    if (!current) return err('unknown-table', `no table ${tableId}`);
    if (change.name !== undefined && this.nameTaken(change.name, tableId))
      return err('table-name-taken', `a table is already called ${change.name}`);
    const table: Table = {
      ...current,
      name: change.name?.trim() ?? current.name,
      seats: change.seats ?? current.seats,
    };
    await this.docs.changeShared('floor', (d) => {
      putTable(d, table);
    });
    return ok(table);
  }
}
