import type { MarketingPreferenceUpdated, SourceSystem } from '@optstream/contracts';
import { isKnownChannel, isKnownStatus, type KnownChannel, type KnownStatus } from './channels';
import {
  addToSlot,
  precisionOf,
  refusedForTrust,
  slotEventIds,
  slotWinner,
  strengthOf,
  type ConsentSlot,
  type Ranked,
} from './precedence';
import { rejected, type RejectedPreferenceEvent } from './rejection';

/** One recorded change as the read model shows it: "status, when, why, from where", and its rank. */
export interface ChannelState extends Ranked {
  readonly sourceOfChange: string;
  readonly sourceSystem: SourceSystem;
  readonly providerEventRef: string;
  /** With `pending`: when the unconfirmed request lapses. */
  readonly pendingExpiresAt: number | null;
}

/** Everything one channel of a contact has been told: the channel-wide slot and one slot per topic. */
export interface ChannelConsent {
  readonly wide: ConsentSlot<ChannelState>;
  readonly topics: Readonly<Record<string, ConsentSlot<ChannelState>>>;
}

/**
 * The projection's state of one contact.
 *
 * Invariant: each channel entry is the maximum, under `compareChanges`, of every distinct event folded
 * for that channel — a pure function of the SET of events, which is what makes replay order irrelevant.
 *
 * `version` counts the distinct events folded into this contact (changed, same_status and older ones;
 * never duplicates or rejected ones). Why not "+1 per effective change": which events turn out to be
 * effective depends on arrival order (U@1 then S@2 is two changes; S@2 then U@1 is one), so that
 * counter could differ between the live projection and a rebuild whose partitions interleave
 * differently (e.g. after a partition-count change) — and a connector that "skips versions it already
 * delivered" could then skip a real change. A count of distinct events is the same for every order,
 * still rises with every effective change, and only leaves gaps in the published sequence (no-ops are
 * not published), which connectors tolerate because they compare with `<=`.
 */
export interface ContactState {
  readonly externalId: string;
  /** Each channel's channel-wide winner (derived from `consent`, kept for every reader of the state). */
  readonly channels: Readonly<Partial<Record<KnownChannel, ChannelState>>>;
  /** The slots the winners come from (see `ConsentSlot`); a channel with topic choices only has no winner. */
  readonly consent: Readonly<Partial<Record<KnownChannel, ChannelConsent>>>;
  readonly version: number;
}

/**
 * - `changed`: the channel's status is different now — the only effect that is published.
 * - `same_status`: a newer event confirmed the current status; the winner's metadata (when, why, from
 *   where) moves to it so the state stays the max of the set, but nothing is published (issue 5).
 * - `older`: a late event that loses to the current winner; it belongs in the history only.
 * - `refused`: a client-side source tried to opt in (source trust); recorded in the history, never applied.
 * - `duplicate`: this eventId was already folded; nothing changes, not even `version`.
 *
 * Every effect is about the event's own (channel, topic): a topic change is `changed` when the topic's
 * recorded status changes, whatever the channel-wide choice is.
 */
export type Effect = 'changed' | 'same_status' | 'older' | 'refused' | 'duplicate';

export type Evolution =
  | {
      readonly effect: 'changed';
      readonly state: ContactState;
      readonly channel: KnownChannel;
      readonly topic: string | null;
      /** The status before, or null when the channel had none. */
      readonly previous: KnownStatus | null;
    }
  | {
      readonly effect: 'same_status' | 'older' | 'refused';
      readonly state: ContactState;
      readonly channel: KnownChannel;
      readonly topic: string | null;
    }
  | {
      readonly effect: 'duplicate';
      /** Null only if the caller flags an event seen before any state exists (it trusts the caller). */
      readonly state: ContactState | null;
      readonly channel: KnownChannel;
      readonly topic: string | null;
    }
  | {
      readonly effect: 'rejected';
      /** Untouched input (null stays null): a rejected event is never applied. */
      readonly state: ContactState | null;
      readonly error: RejectedPreferenceEvent;
    };

export interface EvolveOptions {
  /**
   * The caller already holds this eventId in the contact's history (the projector learns it from its
   * history table's unique key in the same transaction). The state itself only remembers each channel's
   * WINNING eventId, so without this flag a redelivered older event would be counted again — harmless
   * for the channels, but it would bump `version`. Keeping every eventId in the state would grow it
   * without bound, so the full set lives where the history lives.
   */
  readonly alreadySeen?: boolean;
}

export const evolve = (
  state: ContactState | null,
  event: MarketingPreferenceUpdated,
  options: EvolveOptions = {},
): Evolution => {
  const { channel, newStatus, eventId } = event;
  if (!isKnownChannel(channel))
    return { effect: 'rejected', state, error: rejected('UNKNOWN_CHANNEL', eventId, 'channel is unknown') };
  if (!isKnownStatus(newStatus))
    return { effect: 'rejected', state, error: rejected('UNKNOWN_STATUS', eventId, 'newStatus is unknown') };
  if (state !== null && state.externalId !== event.externalId)
    return {
      effect: 'rejected',
      state,
      error: rejected('WRONG_CONTACT', eventId, 'event belongs to another contact'),
    };

  const topic = event.topic ?? null;
  if (options.alreadySeen === true || (state !== null && isFolded(state)(eventId)))
    return { effect: 'duplicate', state, channel, topic };

  const base = state ?? { externalId: event.externalId, channels: {}, consent: {}, version: 0 };
  const version = base.version + 1;
  if (refusedForTrust(event)) return { effect: 'refused', state: { ...base, version }, channel, topic };

  const consent = base.consent[channel] ?? { wide: {}, topics: {} };
  const slot = topic === null ? consent.wide : (consent.topics[topic] ?? {});
  const current = slotWinner(slot);
  const nextSlot = addToSlot(slot, toChannelState(event, newStatus));
  const winner = slotWinner(nextSlot);
  const nextConsent: ChannelConsent =
    topic === null
      ? { ...consent, wide: nextSlot }
      : { ...consent, topics: { ...consent.topics, [topic]: nextSlot } };
  // Even a losing change stays in its slot: it may count later (e.g. once a snapshot opt-in is blocked).
  const next = withChannel(base, channel, nextConsent, version);
  if (winner === current) return { effect: 'older', state: next, channel, topic };
  if (current !== undefined && winner !== undefined && current.status === winner.status)
    return { effect: 'same_status', state: next, channel, topic };
  return { effect: 'changed', state: next, channel, topic, previous: current?.status ?? null };
};

const withChannel = (
  base: ContactState,
  channel: KnownChannel,
  consent: ChannelConsent,
  version: number,
): ContactState => {
  const wide = slotWinner(consent.wide);
  const { [channel]: _replaced, ...others } = base.channels;
  return {
    ...base,
    channels: wide === undefined ? others : { ...others, [channel]: wide },
    consent: { ...base.consent, [channel]: consent },
    version,
  };
};

/** Any recorded eventId, on ANY channel or topic: one eventId is one fact, whatever a replay claims. */
const isFolded = (state: ContactState): ((eventId: string) => boolean) => {
  const ids = new Set(
    Object.values(state.consent).flatMap((c) => [c.wide, ...Object.values(c.topics)].flatMap(slotEventIds)),
  );
  return (eventId) => ids.has(eventId);
};

const toChannelState = (event: MarketingPreferenceUpdated, status: KnownStatus): ChannelState => ({
  status,
  occurredAt: event.occurredAt,
  eventId: event.eventId,
  sourceOfChange: event.sourceOfChange,
  sourceSystem: event.source.system,
  providerEventRef: event.source.providerEventRef,
  precision: precisionOf(event),
  strength: strengthOf(event),
  pendingExpiresAt: status === 'pending' ? (event.pendingExpiresAt ?? null) : null,
});
