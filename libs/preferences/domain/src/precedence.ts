import type {
  EvidenceStrength,
  MarketingPreferenceUpdated,
  SourceTrust,
  TimestampPrecision,
} from '@optstream/contracts';
import type { KnownStatus } from './channels';
import { compareChanges, type Change } from './latest-wins';

/**
 * The precedence rules that protect opt-outs (docs/consent-model.md, "Precedence"). Pure functions of
 * the events: no clock, no configuration, so a rebuild decides exactly as the live projection did.
 */

export type Strength = Exclude<EvidenceStrength, 'unknown'>;
export type Precision = Exclude<TimestampPrecision, 'unknown'>;

/** The milliseconds one tick of each precision spans. */
export const PRECISION_MS: Readonly<Record<Precision, number>> = {
  millisecond: 1,
  second: 1_000,
  minute: 60_000,
  day: 86_400_000,
};

/** What precedence needs to know about one recorded change, beside its status, time and id. */
export interface Ranked extends Change {
  readonly precision: Precision;
  readonly strength: Strength;
}

/** Fields written before evidence existed read as `unknown`: explicit, from a trusted source, to the ms. */
export const strengthOf = (event: MarketingPreferenceUpdated): Strength =>
  event.evidence?.strength === 'snapshot' ? 'snapshot' : 'explicit';
export const trustOf = (event: MarketingPreferenceUpdated): Exclude<SourceTrust, 'unknown'> =>
  event.evidence?.trust === 'client' ? 'client' : 'server';
export const precisionOf = (event: MarketingPreferenceUpdated): Precision => {
  const precision = event.occurredAtPrecision ?? 'unknown';
  return precision === 'unknown' ? 'millisecond' : precision;
};

/**
 * The time a change is ordered by. A time stamped to the second only says "somewhere in that second":
 * an opt-out counts from the END of its tick and an opt-in (or pending) from its START. Between a
 * millisecond and a second source this is exactly "compare at the coarser precision, a tie goes to the
 * opt-out", and unlike a pairwise rule it is one number per change, so the order stays total (the
 * winner of a set never depends on arrival order). Millisecond times are unchanged.
 */
export const orderingTime = (change: Ranked): number => {
  const tick = PRECISION_MS[change.precision];
  const start = Math.floor(change.occurredAt / tick) * tick;
  return change.status === 'unsubscribed' ? start + tick - 1 : start;
};

/** > 0 when `a` wins over `b`: ordering time, then the opt-out, then the greater eventId. */
export const compareRanked = (a: Ranked, b: Ranked): number =>
  compareChanges({ ...a, occurredAt: orderingTime(a) }, { ...b, occurredAt: orderingTime(b) });

const later = <T extends Ranked>(a: T | undefined, b: T | undefined): T | undefined =>
  a === undefined ? b : b === undefined ? a : compareRanked(a, b) >= 0 ? a : b;

/**
 * Everything one (contact, channel, topic) has been told, reduced to three maxima so the winner is a
 * function of the SET of changes (any arrival order gives the same slot):
 * - `explicit`: the latest explicit act of the person (any status);
 * - `snapshotOut`: the latest snapshot saying unsubscribed;
 * - `snapshotIn`: the latest snapshot saying subscribed or pending.
 */
export interface ConsentSlot<T extends Ranked = Ranked> {
  readonly explicit?: T;
  readonly snapshotOut?: T;
  readonly snapshotIn?: T;
}

export const addToSlot = <T extends Ranked>(slot: ConsentSlot<T>, change: T): ConsentSlot<T> => {
  if (change.strength === 'explicit') return { ...slot, explicit: later(slot.explicit, change) };
  if (change.status === 'unsubscribed') return { ...slot, snapshotOut: later(slot.snapshotOut, change) };
  return { ...slot, snapshotIn: later(slot.snapshotIn, change) };
};

/**
 * The change that counts. A snapshot (identify traits, CSV backfill, CRM sync) may set a state nobody
 * chose explicitly, and may opt a person out, but never reverses an explicit opt-out, whatever its
 * time: while the latest explicit act is an opt-out, snapshot opt-ins are not candidates.
 */
export const slotWinner = <T extends Ranked>(slot: ConsentSlot<T>): T | undefined => {
  const optInsBlocked = slot.explicit?.status === 'unsubscribed';
  return later(later(slot.explicit, slot.snapshotOut), optInsBlocked ? undefined : slot.snapshotIn);
};

export const slotEventIds = (slot: ConsentSlot): string[] =>
  [slot.explicit, slot.snapshotOut, slot.snapshotIn].flatMap((c) => (c === undefined ? [] : [c.eventId]));

/**
 * Source trust: a client-side source (a public browser or app write key) may opt a person out, never
 * in. Its opt-in is recorded in the history as `refused` and never applied.
 */
export const refusedForTrust = (event: MarketingPreferenceUpdated): boolean =>
  trustOf(event) === 'client' && event.newStatus !== 'unsubscribed';

/**
 * What a topic's choice means while the channel has its own: a channel-wide opt-out beats every topic
 * (a topic resubscribe is recorded but does not lift it); a subscribed topic of a pending channel is
 * pending; otherwise the topic's own choice stands. `channel` undefined: no channel-wide choice.
 */
export const effectiveTopicStatus = (channel: KnownStatus | undefined, topic: KnownStatus): KnownStatus => {
  if (channel === 'unsubscribed') return 'unsubscribed';
  if (channel === 'pending' && topic === 'subscribed') return 'pending';
  return topic;
};
