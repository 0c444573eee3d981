import type { ContactView, HistoryEntry } from '@optstream/preferences-data-access';
import type { MarketingPreferenceUpdated } from '@optstream/contracts';
import {
  CHANNEL_ORDER,
  profileTraits,
  toStateMessage,
  type ChannelState,
  type ContactState,
  type KnownChannel,
} from '@optstream/preferences-domain';

const iso = (ms: number): string => new Date(ms).toISOString();

/** A channel's status with when (occurredAt), why (sourceOfChange) and from where (source, event). */
export const channelView = (entry: ChannelState | undefined) =>
  entry === undefined
    ? null
    : {
        status: entry.status,
        occurredAt: iso(entry.occurredAt),
        sourceOfChange: entry.sourceOfChange,
        source: { system: entry.sourceSystem, providerEventRef: entry.providerEventRef },
        eventId: entry.eventId,
        // A pending (double opt-in) channel says when the unconfirmed request lapses.
        ...(typeof entry.pendingExpiresAt === 'number'
          ? { pendingExpiresAt: iso(entry.pendingExpiresAt) }
          : {}),
      };

export const channelsView = (state: ContactState | null) =>
  Object.fromEntries(CHANNEL_ORDER.map((c) => [c, channelView(state?.channels[c])])) as Record<
    KnownChannel,
    ReturnType<typeof channelView>
  >;

/**
 * Channels × topics (docs/consent-model.md): each channel's channel-wide choice (`unknown` when only
 * topic choices are on record) and each topic with a choice, its own `status` and the `effectiveStatus`
 * to act on — exactly what the state topic carries — plus, given the contact's events, the evidence of
 * each winning event (null: an event of the first release, explicit from a trusted source).
 */
export const consentView = (
  state: ContactState | null,
  events: readonly MarketingPreferenceUpdated[] = [],
) => {
  const evidence = new Map(events.map((e) => [e.eventId, e.evidence ?? null]));
  const withProof = events.length > 0;
  const proof = (eventId: string) => (withProof ? { evidence: evidence.get(eventId) ?? null } : {});
  const channels = state === null ? [] : toStateMessage(state, 0, '').channels;
  return Object.fromEntries(
    CHANNEL_ORDER.map((name) => {
      const c = channels.find((entry) => entry.channel === name);
      if (c === undefined) return [name, null];
      return [
        name,
        {
          status: c.status,
          occurredAt: c.status === 'unknown' ? null : iso(c.occurredAt),
          sourceOfChange: c.sourceOfChange,
          eventId: c.eventId,
          pendingExpiresAt: optionalIso(c.pendingExpiresAt),
          ...(c.status === 'unknown' ? {} : proof(c.eventId)),
          topics: (c.topics ?? []).map((t) => ({
            topic: t.topic,
            status: t.status,
            effectiveStatus: t.effectiveStatus,
            occurredAt: iso(t.occurredAt),
            sourceOfChange: t.sourceOfChange,
            eventId: t.eventId,
            pendingExpiresAt: optionalIso(t.pendingExpiresAt),
            ...proof(t.eventId),
          })),
        },
      ];
    }),
  ) as Record<KnownChannel, unknown>;
};

export const contactView = (view: ContactView) => ({
  externalId: view.state.externalId,
  version: view.state.version,
  updatedAt: iso(view.updatedAt),
  provisional: view.provisional,
  mergedInto: view.mergedInto,
  erasedAt: view.erasedAt === null ? null : iso(view.erasedAt),
  identifiers: view.identifiers,
  channels: channelsView(view.state),
  /** Channels × topics (without evidence: `/consent` adds it). */
  consent: consentView(view.state),
  traits: profileTraits(view.state),
});

export const historyView = (entry: HistoryEntry) => ({
  eventId: entry.event.eventId,
  channel: entry.event.channel,
  status: entry.event.newStatus,
  occurredAt: iso(entry.event.occurredAt),
  recordedAt: iso(entry.event.recordedAt),
  sourceOfChange: entry.event.sourceOfChange,
  source: entry.event.source,
  causationId: entry.event.causationId,
  /** changed | same_status | older | refused: what the event did when it was applied. */
  effect: entry.effect,
  // The consent model (docs/consent-model.md), as `optstream history --format json` prints it: null topic =
  // the whole channel; null evidence = an event of the first release (explicit, from a trusted source).
  topic: entry.event.topic ?? null,
  occurredAtPrecision: entry.event.occurredAtPrecision ?? 'unknown',
  originalOccurredAt: optionalIso(entry.event.originalOccurredAt),
  pendingExpiresAt: optionalIso(entry.event.pendingExpiresAt),
  evidence: entry.event.evidence ?? null,
});

const optionalIso = (ms: number | null | undefined): string | null => (ms == null ? null : iso(ms));
