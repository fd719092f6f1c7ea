import { ImmutableString } from '@automerge/automerge';
import { canonicalJson } from '../../domain/canonical-json.js';
import { episodeSchema, type Episode } from '../../domain/episode.js';
import type { DocumentKind } from './document-kind.js';
import { immutableJson, isRecord, type QuarantinedItem } from './quarantine.js';

/**
 * EPI1 (src/upload/SPEC.md): the store's contingency episodes, shared by the terminals — when each
 * outage started and ended, and which terminal noticed. One immutable value per episode, keyed by
 * its id; an episode's end replaces its value (the same key written again).
 */
export const contingencyKind: DocumentKind = {
  type: 'contingency',
  schemaVersion: 1,
  skeleton: () => ({ type: 'contingency', schemaVersion: 1, episodes: {} }),
  migrations: [],
};

export const CONTINGENCY_DOC_NAME = 'contingency/v1';

export function writeEpisode(doc: Record<string, unknown>, episode: Episode): void {
  (doc.episodes as Record<string, unknown>)[episode.id] = new ImmutableString(canonicalJson(episode));
}

export function readContingency(doc: unknown): {
  episodes: Episode[];
  quarantined: Omit<QuarantinedItem, 'document'>[];
} {
  const quarantined: Omit<QuarantinedItem, 'document'>[] = [];
  const episodes: Episode[] = [];
  const raw = isRecord(doc) && isRecord(doc.episodes) ? doc.episodes : {};
  for (const [id, value] of Object.entries(raw)) {
    const json = immutableJson(value);
    const parsed = json.ok ? episodeSchema.safeParse(json.value) : undefined;
    if (parsed?.success && parsed.data.id === id) episodes.push(parsed.data);
    else quarantined.push({ path: `episodes/${id}`, reason: json.ok ? 'invalid-episode' : json.reason });
  }
  episodes.sort((a, b) =>
    a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : 1,
  );
  return { episodes, quarantined };
}
