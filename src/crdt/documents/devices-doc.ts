import { ImmutableString } from '@automerge/automerge';
import { canonicalJson } from '../../domain/canonical-json.js';
import { printerSchema, stationSchema, type Printer, type Station } from '../../domain/printer.js';
import type { DocumentKind } from './document-kind.js';
import { immutableJson, isRecord, type QuarantinedItem } from './quarantine.js';

/**
 * PRN1: the store's printers and stations, shared by every terminal (a station's printer is reached
 * by whichever terminal sends a comanda). One immutable value per printer and per station, keyed by
 * its id; a change writes the whole value again, a removal deletes the key.
 */
export const devicesKind: DocumentKind = {
  type: 'devices',
  schemaVersion: 1,
  skeleton: () => ({ type: 'devices', schemaVersion: 1, printers: {}, stations: {} }),
  migrations: [],
};

export const DEVICES_DOC_NAME = 'devices/v1';

export interface DevicesView {
  readonly printers: readonly Printer[];
  readonly stations: readonly Station[];
}

export function writePrinter(doc: Record<string, unknown>, printer: Printer): void {
  (doc.printers as Record<string, unknown>)[printer.id] = new ImmutableString(canonicalJson(printer));
}

export function writeStation(doc: Record<string, unknown>, station: Station): void {
  (doc.stations as Record<string, unknown>)[station.id] = new ImmutableString(canonicalJson(station));
}

export function removeDevice(doc: Record<string, unknown>, field: 'printers' | 'stations', id: string): void {
  const map = doc[field];
  if (isRecord(map)) Reflect.deleteProperty(map, id);
}

export function readDevices(doc: unknown): {
  view: DevicesView;
  quarantined: Omit<QuarantinedItem, 'document'>[];
} {
  const quarantined: Omit<QuarantinedItem, 'document'>[] = [];
  const record = isRecord(doc) ? doc : {};
  const read = <T extends { id: string }>(
    field: 'printers' | 'stations',
    parse: (value: unknown) => T | undefined,
  ): T[] => {
    const out: T[] = [];
    for (const [key, value] of Object.entries(isRecord(record[field]) ? record[field] : {})) {
      const json = immutableJson(value);
      const parsed = json.ok ? parse(json.value) : undefined;
      if (parsed?.id === key) out.push(parsed);
      else quarantined.push({ path: `${field}/${key}`, reason: json.ok ? `invalid-${field}` : json.reason });
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : 1));
  };
  const printers = read('printers', (v) => {
    const parsed = printerSchema.safeParse(v);
    return parsed.success ? parsed.data : undefined;
  });
  const stations = read('stations', (v) => {
    const parsed = stationSchema.safeParse(v);
    return parsed.success ? parsed.data : undefined;
  });
  return { view: { printers, stations }, quarantined };
}
