import type { Evidence, MarketingPreferenceUpdated } from '@optstream/contracts';
import {
  CHANNEL_ORDER,
  profileTraits,
  type ChannelState,
  type ContactState,
  type Effect,
} from '@optstream/preferences-domain';
import type { Cell, RowShape } from '../output/record-writer';
import { unopenedProof, type ProofOfConsent } from './proof-of-consent';

const iso = (ms: number): string => new Date(ms).toISOString();

/** One change as the log holds it, with where it sits and (when known) the effect it had. */
export interface HistoryRow {
  readonly event: MarketingPreferenceUpdated;
  readonly partition: number;
  readonly offset: string;
  /**
   * What applying it did, computed exactly as the projector does (evolve in log order). null when
   * the read did not start at the beginning of the log (a seek by time cannot know the state before).
   */
  readonly effect: Exclude<Effect, 'duplicate'> | null;
  /** The sealed proof of consent, opened when the identity store's keys were given. */
  readonly proof?: ProofOfConsent;
}

const proofOf = (row: HistoryRow): ProofOfConsent => row.proof ?? unopenedProof(row.event);

/** The read API's history entry (`GET /v1/contacts/{id}/history`), plus externalId and log position. */
export const historyJson = (row: HistoryRow) => ({
  eventId: row.event.eventId,
  externalId: row.event.externalId,
  channel: row.event.channel,
  status: row.event.newStatus,
  occurredAt: iso(row.event.occurredAt),
  recordedAt: iso(row.event.recordedAt),
  sourceOfChange: row.event.sourceOfChange,
  source: row.event.source,
  causationId: row.event.causationId,
  effect: row.effect,
  log: { partition: row.partition, offset: row.offset },
  // The consent model (docs/consent-model.md): null topic = the whole channel; null evidence = an event
  // of the first release (explicit, from a trusted source).
  topic: row.event.topic ?? null,
  occurredAtPrecision: row.event.occurredAtPrecision ?? 'unknown',
  originalOccurredAt: optionalIso(row.event.originalOccurredAt),
  pendingExpiresAt: optionalIso(row.event.pendingExpiresAt),
  evidence: row.event.evidence ?? null,
  ipAddress: proofOf(row).ipAddress,
  userAgent: proofOf(row).userAgent,
});

const optionalIso = (ms: number | null | undefined): string | null => (ms == null ? null : iso(ms));

export const HISTORY_SHAPE: RowShape<HistoryRow> = {
  header: [
    'event_id',
    'external_id',
    'channel',
    'status',
    'occurred_at',
    'recorded_at',
    'source_of_change',
    'source_system',
    'provider_event_ref',
    'causation_id',
    'effect',
    'partition',
    'offset',
    'topic',
    'occurred_at_precision',
    'original_occurred_at',
    'evidence_strength',
    'evidence_kind',
    'evidence_trust',
    'collection_point',
    'consent_text',
    'actor',
    'legal_basis',
    'jurisdiction',
    'ip_address',
    'user_agent',
  ],
  csv: (row): Cell[] => [
    row.event.eventId,
    row.event.externalId,
    row.event.channel,
    row.event.newStatus,
    iso(row.event.occurredAt),
    iso(row.event.recordedAt),
    row.event.sourceOfChange,
    row.event.source.system,
    row.event.source.providerEventRef,
    row.event.causationId,
    row.effect,
    row.partition,
    row.offset,
    row.event.topic ?? null,
    row.event.occurredAtPrecision ?? 'unknown',
    optionalIso(row.event.originalOccurredAt),
    row.event.evidence?.strength ?? null,
    row.event.evidence?.kind ?? null,
    row.event.evidence?.trust ?? null,
    row.event.evidence?.collectionPoint ?? null,
    consentText(row.event.evidence),
    row.event.evidence?.actor ?? null,
    row.event.evidence?.legalBasis ?? null,
    row.event.evidence?.jurisdiction ?? null,
    proofOf(row).ipAddress,
    proofOf(row).userAgent,
  ],
  json: historyJson,
};

const consentText = (evidence: Evidence | null | undefined): string | null =>
  evidence?.consentTextId == null ? null : `${evidence.consentTextId}@${evidence.consentTextVersion ?? ''}`;

/** One contact's state as of a time: the read API's as-of answer plus the merge it was part of. */
export interface AsOfRow {
  readonly externalId: string;
  readonly at: number;
  readonly knownAt: number | undefined;
  readonly state: ContactState | null;
  /** The survivor this contact had been merged into by `at` (identity.v1 contacts_merged), else null. */
  readonly mergedInto: string | null;
}

const channelJson = (entry: ChannelState | undefined) =>
  entry === undefined
    ? null
    : {
        status: entry.status,
        occurredAt: iso(entry.occurredAt),
        sourceOfChange: entry.sourceOfChange,
        source: { system: entry.sourceSystem, providerEventRef: entry.providerEventRef },
        eventId: entry.eventId,
      };

/** Same shape as `GET /v1/contacts/{id}/as-of` (channels, traits), with externalId and mergedInto. */
export const asOfJson = (row: AsOfRow) => ({
  externalId: row.externalId,
  at: iso(row.at),
  ...(row.knownAt === undefined ? {} : { knownAt: iso(row.knownAt) }),
  mergedInto: row.mergedInto,
  channels: Object.fromEntries(CHANNEL_ORDER.map((c) => [c, channelJson(row.state?.channels[c])])),
  traits: profileTraits(row.state),
});

export const AS_OF_SHAPE: RowShape<AsOfRow> = {
  header: [
    'external_id',
    'at',
    'merged_into',
    ...CHANNEL_ORDER.flatMap((c) => [
      `${c}_status`,
      `${c}_occurred_at`,
      `${c}_source_of_change`,
      `${c}_source_system`,
      `${c}_event_id`,
    ]),
  ],
  csv: (row): Cell[] => [
    row.externalId,
    iso(row.at),
    row.mergedInto,
    ...CHANNEL_ORDER.flatMap((c) => {
      const entry = row.state?.channels[c];
      return entry === undefined
        ? [null, null, null, null, null]
        : [entry.status, iso(entry.occurredAt), entry.sourceOfChange, entry.sourceSystem, entry.eventId];
    }),
  ],
  json: asOfJson,
};
