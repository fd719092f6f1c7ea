import { nitCheckDigit } from '../../domain/nit.js';
import { hashPin } from '../../security/pin.js';
import type { StoreSeed } from '../cloud-store.js';
import type { FloorPlan } from '../../contract/cloud.js';
import type { Customer } from '../../domain/customer.js';
import { demoCatalog } from './demo-catalog.js';

export const DEMO_STORE_ID = 'demo';

/** The demo users and their PINs: printed by `npm start`, used by the tests. */
export const DEMO_USERS = [
  { id: 'ana', name: 'Ana', role: 'cashier', pin: '1234' },
  { id: 'luis', name: 'Luis', role: 'cashier', pin: '5678' },
  { id: 'marta', name: 'Marta', role: 'manager', pin: '9999' },
] as const;

export const DEMO_TERMINALS = [
  { id: 'caja-1', name: 'Caja 1', prefix: 'C1', resolutionNumber: '18764000001231' },
  { id: 'caja-2', name: 'Caja 2', prefix: 'C2', resolutionNumber: '18764000001232' },
  { id: 'caja-3', name: 'Caja 3', prefix: 'C3', resolutionNumber: '18764000001233' },
] as const;

const DEMO_NIT = '901234567';

export function demoFloor(): FloorPlan {
  return {
    areas: [
      {
        id: 'salon',
        name: 'Salón',
        tables: Array.from({ length: 8 }, (_, i) => ({
          id: `mesa-${i + 1}`,
          name: `Mesa ${i + 1}`,
          seats: i < 6 ? 4 : 6,
        })),
      },
      {
        id: 'terraza',
        name: 'Terraza',
        tables: Array.from({ length: 4 }, (_, i) => ({
          id: `terraza-${i + 1}`,
          name: `Terraza ${i + 1}`,
          seats: 2,
        })),
      },
    ],
  };
}

/** The demo store. Randomness (PIN salts, the LAN key) comes in as a parameter. */
export function demoStoreSeed(token: string, randomBytes: (size: number) => Uint8Array): StoreSeed {
  return {
    profile: {
      id: DEMO_STORE_ID,
      name: 'Supermercado y Restaurante La Esquina',
      legalName: 'La Esquina del Sabor S.A.S.',
      nit: DEMO_NIT,
      checkDigit: nitCheckDigit(DEMO_NIT),
      address: 'Calle 45 # 13-20',
      city: 'Bogotá D.C.',
      phone: '601 555 0145',
      taxRegime: 'Responsable de IVA',
      timeZone: 'America/Bogota',
      currency: 'COP',
      software: 'Caja offline 0.1 — software propio',
      // A restaurant under INC (not a franchise); tips on the service before tax; a shift that
      // closes more than $ 20.000 off needs a manager.
      settings: { restaurantRegime: 'INC8', tipBase: 'pre-tax', shiftDifferenceLimit: 20_000 },
    },
    token,
    lanKey: Buffer.from(randomBytes(32)).toString('base64url'),
    floor: demoFloor(),
    terminals: DEMO_TERMINALS.map((t) => ({
      id: t.id,
      name: t.name,
      numbering: {
        prefix: t.prefix,
        from: 1,
        to: 20_000,
        resolutionNumber: t.resolutionNumber,
        resolutionDate: '2026-01-15',
        validFrom: '2026-01-15',
        validUntil: '2028-01-15',
      },
    })),
    users: DEMO_USERS.map((u) => ({
      id: u.id,
      name: u.name,
      role: u.role,
      pin: hashPin(u.pin, randomBytes(16)),
    })),
    products: demoCatalog(),
    customers: DEMO_CUSTOMERS,
  };
}

/**
 * The demo store's customer directory (CUS5): regular buyers who ask for an invoice with their
 * name — a company under NIT (its check digit is computed when stored) and two people.
 */
export const DEMO_CUSTOMERS: readonly Customer[] = [
  {
    idType: 'NIT',
    idNumber: '900123456',
    name: 'Eventos Andinos S.A.S.',
    email: 'facturas@eventosandinos.example',
    personType: 'juridica',
    responsibilities: ['O-13'],
    address: { line: 'Carrera 7 # 71-21', municipalityCode: '11001', municipality: 'Bogotá D.C.' },
  },
  {
    idType: 'CC',
    idNumber: '52345678',
    name: 'María Fernanda Gómez Ríos',
    email: 'mafe.gomez@correo.example',
    personType: 'natural',
    responsibilities: ['R-99-PN'],
    address: { line: 'Calle 53 # 24-10', municipalityCode: '11001', municipality: 'Bogotá D.C.' },
  },
  {
    idType: 'CC',
    idNumber: '1032456789',
    name: 'Julián Andrés Peña',
    personType: 'natural',
    responsibilities: ['R-99-PN'],
  },
];
