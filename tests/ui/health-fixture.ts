import type { HealthAnswer } from '../../src/contract/host-api.js';
import { DEFAULT_FISCAL_SETTINGS } from '../../src/domain/channel.js';
import { DEFAULT_DISCOUNT_LIMIT_PERCENT } from '../../src/ui/config.js';

/**
 * The parts of GET /api/health that a screen test does not look at, as a calm host answers them:
 * nothing quarantined, the disk writable, no episode, no next range.
 */
export const CALM_HEALTH = {
  startedAt: '2026-11-28T07:00:00.000Z',
  documents: 5,
  storage: { writable: true, failure: null, failures: 0, recoveries: 0 },
  clock: { now: '2026-11-28T19:10:00.000Z', behindOwnLastEntrySeconds: 0, skewedPeers: [] },
  integrity: { restoredEntries: 0, screenWritesRefused: 0 },
  discountLimitPercent: DEFAULT_DISCOUNT_LIMIT_PERCENT,
  fiscal: DEFAULT_FISCAL_SETTINGS,
  recovery: {
    rebuiltIntoJournal: 0,
    restoredInJournal: 0,
    copiedIntoLog: 0,
    reservedNotIssued: [],
    logProblems: [],
    filesReadFromCopy: [],
    unreadableDocuments: [],
  },
  network: {},
  discovery: { mdns: 'running', problem: null, discovered: 0 },
  cloud: { reachable: null, checkedAt: null, reason: null },
  contingency: {
    state: 'none',
    episodeId: null,
    startedAt: null,
    endedAt: null,
    deadline: null,
    hoursLeft: null,
    level: null,
  },
  nextRange: null,
  nextPosition: null,
  rangeSwitch: null,
  uploads: [],
  printing: { receiptPrinter: null, queued: 0, printers: [], unreadableJobs: 0 },
} as const satisfies Partial<HealthAnswer>;

export const CALM_QUARANTINE = { count: 0, items: [], entries: [] } as const;
