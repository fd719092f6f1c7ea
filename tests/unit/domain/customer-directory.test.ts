import { describe, expect, it } from 'vitest';
import {
  keepNewest,
  mergeDirectory,
  searchDirectory,
  type SeenBuyer,
} from '../../../src/domain/customer-directory.js';
import { FINAL_CONSUMER, type Customer } from '../../../src/domain/customer.js';

const eventos: Customer = {
  idType: 'NIT',
  idNumber: '900123456',
  checkDigit: 8,
  name: 'Eventos Andinos S.A.S.',
};
const mafe: Customer = { idType: 'CC', idNumber: '52345678', name: 'María Fernanda Gómez Ríos' };
const julian: Customer = { idType: 'CC', idNumber: '1032456789', name: 'Julián Andrés Peña' };
const gomez: Customer = { idType: 'CC', idNumber: '52340000', name: 'Alberto Gómez' };
const cloud = [eventos, mafe, julian, gomez];
const entries = cloud.map((customer) => ({ customer, source: 'cloud' as const }));
const names = (query: string) => searchDirectory(entries, query).map((e) => e.customer.name);

describe('the customer directory at the till', () => {
  it('[CUS5] finds a buyer by identification: the exact number first, then numbers starting with it', () => {
    expect(names('52345678')).toEqual(['María Fernanda Gómez Ríos']);
    // From 3 digits, numbers that start with them; the exact one ranks first.
    expect(names('5234')).toEqual(['Alberto Gómez', 'María Fernanda Gómez Ríos']);
    expect(names('52')).toEqual([]);
    // Dots and dashes a cashier types in a NIT are ignored.
    expect(names('900.123.456')).toEqual(['Eventos Andinos S.A.S.']);
    expect(names('1032456789')).toEqual(['Julián Andrés Peña']);
  });

  it('[CUS5] finds a buyer by name: every word starts a word of the name, accents and case folded', () => {
    expect(names('gomez')).toEqual(['Alberto Gómez', 'María Fernanda Gómez Ríos']);
    expect(names('mar gom')).toEqual(['María Fernanda Gómez Ríos']);
    expect(names('PENA')).toEqual(['Julián Andrés Peña']);
    expect(names('andin')).toEqual(['Eventos Andinos S.A.S.']);
    // "omez" is inside a word, not at its start.
    expect(names('omez')).toEqual([]);
    expect(names('   ')).toEqual([]);
    expect(searchDirectory(entries, 'a', 2)).toHaveLength(2);
  });

  it('[CUS7] buyers of the store’s invoices join the directory until the cloud gives them back', () => {
    const seen = new Map<string, SeenBuyer>();
    const newBuyer: Customer = { idType: 'CC', idNumber: '79111222', name: 'Pedro Pablo Ruiz' };
    keepNewest(seen, { customer: newBuyer, seenAt: '2026-12-01T10:00:00-05:00' });
    keepNewest(seen, { customer: FINAL_CONSUMER, seenAt: '2026-12-01T10:01:00-05:00' });
    // Mafe gave a new e-mail on an invoice issued after the directory was read, and an older
    // invoice (synced later from a peer) never overwrites it.
    const mafeNew = { ...mafe, email: 'mafe@nuevo.example' };
    keepNewest(seen, { customer: mafeNew, seenAt: '2026-12-01T11:00:00-05:00' });
    keepNewest(seen, {
      customer: { ...mafe, email: 'viejo@x.example' },
      seenAt: '2026-12-01T09:00:00-05:00',
    });
    // Julián on an invoice issued before the read: the cloud's entry stays.
    keepNewest(seen, { customer: { ...julian, name: 'JULIAN PENA' }, seenAt: '2026-11-30T09:00:00-05:00' });
    expect(seen.size).toBe(3);

    const merged = mergeDirectory(cloud, seen.values(), '2026-12-01T15:00:00.000Z');
    expect(merged).toHaveLength(5);
    const byNumber = new Map(merged.map((e) => [e.customer.idNumber, e]));
    expect(byNumber.get('79111222')).toEqual({ customer: newBuyer, source: 'offline' });
    expect(byNumber.get('52345678')).toEqual({ customer: mafeNew, source: 'offline' });
    expect(byNumber.get('1032456789')).toEqual({ customer: julian, source: 'cloud' });
    expect(byNumber.get('900123456')?.source).toBe('cloud');
    // Given back: the cloud's entry holds what a newer invoice states (it may hold more).
    const given = new Map<string, SeenBuyer>();
    keepNewest(given, {
      customer: { idType: 'CC', idNumber: '52345678', name: mafe.name },
      seenAt: '2026-12-01T11:00:00-05:00',
    });
    expect(
      mergeDirectory(cloud, given.values(), '2026-12-01T15:00:00.000Z').find(
        (e) => e.customer.idNumber === '52345678',
      ),
    ).toEqual({ customer: mafe, source: 'cloud' });
    // The same second as the read: the till's data, which differs, is taken.
    const sameSecond = new Map<string, SeenBuyer>();
    keepNewest(sameSecond, { customer: mafeNew, seenAt: '2026-12-01T10:00:00-05:00' });
    expect(
      mergeDirectory(cloud, sameSecond.values(), '2026-12-01T10:00:00-05:00').find(
        (e) => e.customer.idNumber === '52345678',
      ),
    ).toEqual({ customer: mafeNew, source: 'offline' });
    // Never read from the cloud: every buyer seen is offline data.
    expect(mergeDirectory([], seen.values(), undefined).map((e) => e.source)).toEqual([
      'offline',
      'offline',
      'offline',
    ]);
  });
});
