import type {
  HealthAnswer,
  PreflightAnswer,
  UploadReportAnswer,
  UploadRun,
  UploadStatusAnswer,
} from '../../src/contract/host-api.js';
import type { ReportBlock } from '../../src/upload/report.js';
import { CALM_HEALTH, CALM_QUARANTINE } from './health-fixture.js';

/** Answers of the host's upload API as the UI tests need them (shapes of src/upload/*). */
export const UPLOAD_ID = '6f1c1d1e-0c4e-4c59-9d3c-6a8f0a1b2c3d';

export function preflightAnswer(overrides: Partial<PreflightAnswer> = {}): PreflightAnswer {
  return {
    terminals: [
      {
        terminalId: 'caja-1',
        name: 'Caja 1',
        prefix: 'C1',
        invoices: 1_050,
        voids: 2,
        uploaded: 10,
        pending: 1_042,
        pendingTotal: 8_300_000,
        total: 8_400_000,
        firstNumber: 'C11',
        lastNumber: 'C11053',
        reservedNotIssued: 0,
        unusedPending: 0,
        missing: [{ from: 1045, to: 1047 }],
        connected: true,
        lastSeenAt: '2026-11-28T19:09:00.000Z',
      },
      {
        terminalId: 'caja-2',
        name: 'Caja 2',
        prefix: 'C2',
        invoices: 300,
        voids: 0,
        uploaded: 0,
        pending: 300,
        pendingTotal: 2_100_000,
        total: 2_100_000,
        firstNumber: 'C21',
        lastNumber: 'C2300',
        reservedNotIssued: 1,
        unusedPending: 1,
        missing: [],
        connected: true,
        lastSeenAt: '2026-11-28T19:10:00.000Z',
      },
      {
        terminalId: 'caja-3',
        name: 'Caja 3',
        prefix: 'C3',
        invoices: 40,
        voids: 0,
        uploaded: 0,
        pending: 40,
        pendingTotal: 300_000,
        total: 300_000,
        firstNumber: 'C31',
        lastNumber: 'C340',
        reservedNotIssued: 0,
        unusedPending: 0,
        missing: [],
        connected: false,
        lastSeenAt: '2026-11-28T19:05:00.000Z',
      },
    ],
    pending: 1_382,
    uploaded: 10,
    warnings: [
      {
        kind: 'terminal-not-seen',
        terminalId: 'caja-3',
        since: '2026-11-28T19:05:00.000Z',
        message: 'caja-3 no está conectada desde las 19:05: sus ventas posteriores no se subirán',
      },
      {
        kind: 'missing-numbers',
        terminalId: 'caja-1',
        from: 'C11045',
        to: 'C11047',
        message: 'faltan los números C11045–C11047 de caja-1',
      },
    ],
    otherUploads: [],
    ...overrides,
  };
}

export function statusAnswer(overrides: Partial<UploadStatusAnswer> = {}): UploadStatusAnswer {
  return {
    id: UPLOAD_ID,
    state: 'running',
    startedAt: '2026-11-28T14:05:00-05:00',
    finishedAt: null,
    by: { id: 'marta', name: 'Marta' },
    total: 120,
    sent: 40,
    created: 38,
    duplicate: 2,
    rejected: [],
    perTerminal: { 'caja-1': { total: 60, sent: 30 }, 'caja-2': { total: 60, sent: 10 } },
    rate: 12.5,
    secondsLeft: 7,
    attempts: 4,
    lastError: null,
    unconfirmed: { before: 0, after: 0 },
    ...overrides,
  };
}

function block(overrides: Partial<ReportBlock> = {}): ReportBlock {
  return {
    invoices: 3,
    total: 41_700,
    byPaymentMethod: { cash: 11_000, transfer: 16_800, 'credit-card': 0, 'debit-card': 13_900, other: 0 },
    taxes: [
      { code: 'IVA19', base: 5_378, tax: 1_022 },
      { code: 'EXCLUIDO', base: 16_800, tax: 0 },
    ],
    tips: 0,
    voids: { count: 1, total: 6_900 },
    returns: { count: 0, total: 0 },
    numbers: { first: 'C11', last: 'C14', count: 4 },
    unused: { count: 0, numbers: [] },
    ...overrides,
  };
}

export function reportAnswer(overrides: Partial<UploadReportAnswer> = {}): UploadReportAnswer {
  const caja2 = block({
    invoices: 3,
    total: 57_200,
    byPaymentMethod: { cash: 17_300, transfer: 0, 'credit-card': 35_000, 'debit-card': 4_900, other: 0 },
    taxes: [{ code: 'INC8', base: 29_630, tax: 2_370 }],
    tips: 3_000,
    voids: { count: 0, total: 0 },
    returns: { count: 0, total: 0 },
    numbers: { first: 'C21', last: 'C23', count: 3 },
  });
  return {
    run: statusAnswer({
      state: 'done',
      total: 8,
      sent: 8,
      created: 8,
      duplicate: 0,
      secondsLeft: 0,
      finishedAt: '2026-11-28T14:06:00-05:00',
    }),
    store: block({
      invoices: 6,
      total: 98_900,
      byPaymentMethod: {
        cash: 28_300,
        transfer: 16_800,
        'credit-card': 35_000,
        'debit-card': 18_800,
        other: 0,
      },
      taxes: [
        { code: 'IVA19', base: 5_378, tax: 1_022 },
        { code: 'EXCLUIDO', base: 16_800, tax: 0 },
        { code: 'INC8', base: 29_630, tax: 2_370 },
      ],
      tips: 3_000,
      numbers: { first: 'C11', last: 'C23', count: 7 },
    }),
    terminals: { 'caja-1': block(), 'caja-2': caja2 },
    differences: { missingInCloud: [], unknownHere: [] },
    checkedAgainstCloud: true,
    dian: { pending: 0, transmitted: 8, rejected: [] },
    ...overrides,
  };
}

export function runRecord(overrides: Partial<UploadRun> = {}): UploadRun {
  return {
    id: UPLOAD_ID,
    terminalId: 'caja-2',
    by: { id: 'marta', name: 'Marta' },
    startedAt: '2026-11-28T14:05:00-05:00',
    updatedAt: '2026-11-28T14:09:50-05:00',
    state: 'running',
    total: 120,
    sent: 40,
    ...overrides,
  };
}

export function healthAnswer(overrides: Partial<HealthAnswer> = {}): HealthAnswer {
  return {
    ...CALM_HEALTH,
    status: 'ok',
    storeId: 'demo',
    storeName: 'La Esquina',
    terminalId: 'caja-2',
    terminalName: 'Caja 2',
    peers: [],
    peersConnected: 1,
    terminalsInStore: 2,
    catalog: { version: '1', readAt: '2026-11-28T08:00:00-05:00', ageHours: 3.4, products: 224 },
    numbering: {
      prefix: 'C2',
      from: 1,
      to: 20_000,
      lastReserved: 41,
      used: 41,
      remaining: 19_959,
      usedPercent: 0.2,
      validUntil: '2028-01-15',
      daysLeft: 413,
      nearExhaustion: false,
      nearExpiry: false,
      exhausted: false,
      expired: false,
      resolutionLeft: 0,
    },
    shift: null,
    invoices: { total: 41, pendingUpload: 40, voidsPendingUpload: 2, unusedNumbersPendingUpload: 0 },
    quarantined: CALM_QUARANTINE,
    warnings: [],
    cloud: { reachable: true, checkedAt: '2026-11-28T19:09:00.000Z', reason: null },
    uploads: [],
    printing: { receiptPrinter: null, queued: 0, printers: [], unreadableJobs: 0 },
    ...overrides,
  };
}

/** 14:10 in Bogotá on 2026-11-28: the fixtures' "now". */
export const NOW = Date.parse('2026-11-28T19:10:00Z');
