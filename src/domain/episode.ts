import { z } from 'zod';
import { err, ok, type Result } from './result.js';
import { offsetDateTimeSchema, personRefSchema, slugSchema } from './schemas.js';

/**
 * EPI1–EPI3 (src/upload/SPEC.md): a contingency episode — the time the store's terminals issued
 * contingency invoices because the cloud was out — and the transmission deadline it leaves. Pure.
 */
export const EPISODE_ID = /^EP-\d{8}T\d{6}-[a-z0-9-]{1,40}$/;

export const episodeSchema = z.strictObject({
  id: z.string().regex(EPISODE_ID),
  startedAt: offsetDateTimeSchema,
  /** The terminal that issued first with no episode open. */
  startedBy: slugSchema,
  /** What that terminal knew of the cloud then (`reachable`: it answered, yet the till sold offline). */
  cloudAtStart: z.enum(['unreachable', 'unknown', 'reachable']),
  endedAt: offsetDateTimeSchema.optional(),
  endedBy: slugSchema.optional(),
  /** `cloud-reached`: a terminal reached the cloud again; `uploaded`: an upload ended it. */
  endedHow: z.enum(['cloud-reached', 'uploaded']).optional(),
  /**
   * EPI5: a manager authorized selling offline while the cloud answered (the online system does
   * not invoice, say): who, why, when and on which terminal. Such an episode is not ended by
   * reaching the cloud — only by an upload.
   */
  authorization: z
    .strictObject({
      by: personRefSchema,
      reason: z.string().trim().min(3).max(200),
      at: offsetDateTimeSchema,
      terminalId: slugSchema,
    })
    .optional(),
});
export type Episode = z.infer<typeof episodeSchema>;

/** The transmission window after an episode ends: 48 h unless the store says otherwise. */
export const DEFAULT_TRANSMISSION_HOURS = 48;

/** `EP-20261202T153000-caja-1`: readable, and distinct for two terminals starting at once. */
export function episodeId(startedAtMs: number, terminalId: string): string {
  const iso = new Date(startedAtMs).toISOString();
  return `EP-${iso.slice(0, 10).replaceAll('-', '')}T${iso.slice(11, 19).replaceAll(':', '')}-${terminalId}`;
}

/** EPI1: the episode open now — the earliest of those not ended (several open ones are one outage). */
export function openEpisode(episodes: readonly Episode[]): Episode | undefined {
  return episodes
    .filter((e) => e.endedAt === undefined)
    .sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1))[0];
}

/**
 * EPI5: the offline cashbox is for outages only. While the cloud answers (`reachable` true) a sale
 * is refused unless the store is in an episode already (an outage not noticed as over yet, or one
 * a manager authorized). Unknown reachability (no check yet) does not hold a sale up.
 */
export function offlineSaleGate(
  reachable: boolean | null,
  episodes: readonly Episode[],
): Result<void, 'offline-not-authorized'> {
  if (reachable !== true || openEpisode(episodes)) return ok(undefined);
  return err(
    'offline-not-authorized',
    'the cloud answers: sell in the online system, or have a manager authorize selling offline (POST /api/contingency/authorize)',
  );
}

export type ContingencyState = 'none' | 'open' | 'to-transmit' | 'uploaded';
/** EPI3: how urgent the transmission is: under 24 h since the end, 24–40 h, 40–48 h, past the window. */
export type DeadlineLevel = 'info' | 'warning' | 'critical' | 'overdue';

export interface ContingencyStatus {
  readonly state: ContingencyState;
  readonly episodeId: string | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  /** endedAt + the window, ISO; null while the episode is open. */
  readonly deadline: string | null;
  /** Whole hours left to the deadline (negative once it passed). */
  readonly hoursLeft: number | null;
  readonly level: DeadlineLevel | null;
  /** EPI5: the manager's authorization of the open episode (selling offline while the cloud answered). */
  readonly authorization?: Episode['authorization'] | null;
}

/**
 * EPI2–EPI3: where the store is: no episode; one open; the last one ended with documents still to
 * upload (the countdown to the deadline); or everything uploaded.
 */
export function contingencyStatus(
  episodes: readonly Episode[],
  pendingUploads: number,
  now: number,
  windowHours: number = DEFAULT_TRANSMISSION_HOURS,
  /** How the deadline is written (the store's local time with its offset, say); ISO UTC by default. */
  format: (ms: number) => string = (ms) => new Date(ms).toISOString(),
): ContingencyStatus {
  const open = openEpisode(episodes);
  if (open)
    return {
      state: 'open',
      episodeId: open.id,
      startedAt: open.startedAt,
      endedAt: null,
      deadline: null,
      hoursLeft: null,
      level: null,
      authorization: open.authorization ?? null,
    };
  const last = [...episodes].sort((a, b) => ((a.endedAt ?? '') < (b.endedAt ?? '') ? -1 : 1)).at(-1);
  if (!last?.endedAt)
    return {
      state: 'none',
      episodeId: null,
      startedAt: null,
      endedAt: null,
      deadline: null,
      hoursLeft: null,
      level: null,
    };
  const ended = Date.parse(last.endedAt);
  const deadline = ended + windowHours * 3_600_000;
  const elapsedHours = (now - ended) / 3_600_000;
  const level: DeadlineLevel =
    now > deadline ? 'overdue' : elapsedHours >= 40 ? 'critical' : elapsedHours >= 24 ? 'warning' : 'info';
  return {
    state: pendingUploads > 0 ? 'to-transmit' : 'uploaded',
    episodeId: last.id,
    startedAt: last.startedAt,
    endedAt: last.endedAt,
    deadline: format(deadline),
    hoursLeft: Math.floor((deadline - now) / 3_600_000),
    level: pendingUploads > 0 ? level : null,
  };
}
