import type { ContactView, HistoryEntry } from '@optstream/preferences-data-access';
import {
  CHANNEL_ORDER,
  profileTraits,
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

export const contactView = (view: ContactView) => ({
  externalId: view.state.externalId,
  version: view.state.version,
  updatedAt: iso(view.updatedAt),
  provisional: view.provisional,
  mergedInto: view.mergedInto,
  erasedAt: view.erasedAt === null ? null : iso(view.erasedAt),
  identifiers: view.identifiers,
  channels: channelsView(view.state),
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
  /** The consent-model detail (docs/consent-model.md): null on events written before it existed. */
  topic: entry.event.topic ?? null,
  pendingExpiresAt:
    typeof entry.event.pendingExpiresAt === 'number' ? iso(entry.event.pendingExpiresAt) : null,
  /** Proof of consent of this change (no IP address or user agent: those stay sealed in the log). */
  evidence: entry.event.evidence ?? null,
  /** changed | same_status | older: what the event did when it was applied. */
  effect: entry.effect,
});
