import type { MarketingPreferenceUpdated, SourceSystem } from '@optstream/contracts';
import { isKnownChannel, isKnownStatus, type KnownChannel, type KnownStatus } from './channels';
import { wins, type Change } from './latest-wins';
import { rejected, type RejectedPreferenceEvent } from './rejection';

/** The winning change of one channel: what the read model shows as "status, when, why, from where". */
export interface ChannelState extends Change {
  readonly sourceOfChange: string;
  readonly sourceSystem: SourceSystem;
  readonly providerEventRef: string;
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
  readonly channels: Readonly<Partial<Record<KnownChannel, ChannelState>>>;
  readonly version: number;
}

/**
 * - `changed`: the channel's status is different now — the only effect that is published.
 * - `same_status`: a newer event confirmed the current status; the winner's metadata (when, why, from
 *   where) moves to it so the state stays the max of the set, but nothing is published (docs/preference-projector.md).
 * - `older`: a late event that loses to the current winner; it belongs in the history only.
 * - `duplicate`: this eventId was already folded; nothing changes, not even `version`.
 */
export type Effect = 'changed' | 'same_status' | 'older' | 'duplicate';

export type Evolution =
  | {
      readonly effect: 'changed';
      readonly state: ContactState;
      readonly channel: KnownChannel;
      /** The status before, or null when the channel had none. */
      readonly previous: KnownStatus | null;
    }
  | {
      readonly effect: 'same_status' | 'older';
      readonly state: ContactState;
      readonly channel: KnownChannel;
    }
  | {
      readonly effect: 'duplicate';
      /** Null only if the caller flags an event seen before any state exists (it trusts the caller). */
      readonly state: ContactState | null;
      readonly channel: KnownChannel;
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

  if (options.alreadySeen === true || (state !== null && isWinner(state, eventId)))
    return { effect: 'duplicate', state, channel };

  const base = state ?? { externalId: event.externalId, channels: {}, version: 0 };
  const current = base.channels[channel];
  const candidate = toChannelState(event, newStatus);
  const version = base.version + 1;

  if (!wins(candidate, current)) return { effect: 'older', state: { ...base, version }, channel };

  const next: ContactState = { ...base, channels: { ...base.channels, [channel]: candidate }, version };
  if (current !== undefined && current.status === newStatus)
    return { effect: 'same_status', state: next, channel };
  return { effect: 'changed', state: next, channel, previous: current?.status ?? null };
};

/** A winner's eventId on ANY channel: one eventId is one fact, whatever channel a replay claims. */
const isWinner = (state: ContactState, eventId: string): boolean =>
  Object.values(state.channels).some((entry) => entry.eventId === eventId);

const toChannelState = (event: MarketingPreferenceUpdated, status: KnownStatus): ChannelState => ({
  status,
  occurredAt: event.occurredAt,
  eventId: event.eventId,
  sourceOfChange: event.sourceOfChange,
  sourceSystem: event.source.system,
  providerEventRef: event.source.providerEventRef,
});
