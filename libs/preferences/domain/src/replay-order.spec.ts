import type { Channel, MarketingPreferenceUpdated, SubscriptionStatus } from '@optstream/contracts';
import fc from 'fast-check';
import { CHANNEL_ORDER } from './channels';
import { evolve, type ChannelState, type ContactState } from './contact-state';
import { foldEvents } from './fold';
import { compareRanked, refusedForTrust } from './precedence';
import { preferenceEvent } from './testing/events';

/**
 * Rule 3: replaying the log in any partition interleaving gives the same state. A contact's events are
 * folded in the order they arrive for that contact; any permutation of the whole log (which includes
 * every cross-partition interleaving, and more) must give the same state per contact — channels AND
 * version, since version counts distinct events (see ContactState).
 */

// Few contacts, timestamps and eventId characters, so ties and collisions are common.
const arbFact = fc.record({
  eventId: fc.string({ unit: fc.constantFrom('a', 'b', 'C', '0'), minLength: 1, maxLength: 4 }),
  externalId: fc.constantFrom('c1', 'c2', 'c3'),
  channel: fc.constantFrom<Channel>('email', 'sms', 'push', 'email', 'sms', 'push', 'unknown'),
  newStatus: fc.constantFrom<SubscriptionStatus>(
    'subscribed',
    'unsubscribed',
    'subscribed',
    'unsubscribed',
    'pending',
    'unknown',
  ),
  // Milliseconds across three seconds, so second-precision ticks overlap millisecond times.
  occurredAt: fc.constantFrom(0, 1, 999, 1_000, 1_001, 1_500, 2_000, 2_999),
  lag: fc.nat(10),
  topic: fc.constantFrom(null, null, 'news', 'promo'),
  strength: fc.constantFrom('explicit' as const, 'snapshot' as const),
  trust: fc.constantFrom('server' as const, 'server' as const, 'client' as const),
  precision: fc.constantFrom('millisecond' as const, 'second' as const),
});

const arbFacts = fc
  .uniqueArray(arbFact, { selector: (f) => f.eventId, minLength: 1, maxLength: 30 })
  .map((facts) =>
    facts.map(({ lag, strength, trust, precision, ...f }) =>
      preferenceEvent({
        ...f,
        recordedAt: f.occurredAt + lag,
        evidence: { strength, trust, kind: 'unknown' },
        occurredAtPrecision: precision,
      }),
    ),
  );

/** The log: every fact at least once, some redelivered (same eventId, same content). */
const arbLog = arbFacts.chain((facts) =>
  fc
    .array(fc.nat(facts.length - 1), { maxLength: facts.length * 2 })
    .map((dups) => ({ facts, log: [...facts, ...dups.map((i) => facts[i] as MarketingPreferenceUpdated)] })),
);

const permutationOf = <T>(items: readonly T[]) =>
  fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });

const arbReplays = arbLog.chain(({ facts, log }) =>
  fc.tuple(fc.constant(facts), permutationOf(log), permutationOf(log)),
);

const byContact = (log: readonly MarketingPreferenceUpdated[]): Map<string, MarketingPreferenceUpdated[]> => {
  const groups = new Map<string, MarketingPreferenceUpdated[]>();
  for (const event of log) groups.set(event.externalId, [...(groups.get(event.externalId) ?? []), event]);
  return groups;
};

/** The projector: one fold per contact, with a history (seen eventIds) per contact. */
const project = (log: readonly MarketingPreferenceUpdated[]): Map<string, ContactState | null> =>
  new Map([...byContact(log)].map(([id, events]) => [id, foldEvents(events).state]));

type Winners = Pick<ContactState, 'externalId' | 'channels' | 'version'>;
const winners = (states: Map<string, ContactState | null>): Map<string, Winners | null> =>
  new Map(
    [...states].map(([id, s]) => [
      id,
      s === null ? null : { externalId: s.externalId, channels: s.channels, version: s.version },
    ]),
  );

const max = (changes: readonly ChannelState[]): ChannelState | undefined =>
  changes.reduce<ChannelState | undefined>(
    (acc, c) => (acc === undefined || compareRanked(c, acc) > 0 ? c : acc),
    undefined,
  );

/**
 * The channel-wide rule, stated directly: candidates are every explicit act, every snapshot opt-out,
 * and the snapshot opt-ins unless the latest explicit act is an opt-out; client opt-ins never count.
 */
const channelWinner = (changes: readonly ChannelState[]): ChannelState | undefined => {
  const explicit = changes.filter((c) => c.strength === 'explicit');
  const blocked = max(explicit)?.status === 'unsubscribed';
  return max(changes.filter((c) => c.strength === 'explicit' || c.status === 'unsubscribed' || !blocked));
};

/** Oracle straight from the rule: per channel, the winner of the distinct valid events; version = their count. */
const oracle = (facts: readonly MarketingPreferenceUpdated[]): Map<string, Winners | null> =>
  new Map(
    [...byContact(facts)].map(([externalId, events]) => {
      const valid = events.filter((e) => e.channel !== 'unknown' && e.newStatus !== 'unknown');
      if (valid.length === 0) return [externalId, null];
      const channels: Partial<Record<(typeof CHANNEL_ORDER)[number], ChannelState>> = {};
      for (const channel of CHANNEL_ORDER) {
        const best = channelWinner(
          valid
            .filter((e) => e.channel === channel && e.topic === null && !refusedForTrust(e))
            .map((e) => foldEvents([e]).state?.channels[channel] as ChannelState),
        );
        if (best !== undefined) channels[channel] = best;
      }
      return [externalId, { externalId, channels, version: valid.length }];
    }),
  );

describe('replay order does not matter', () => {
  it('any permutation of the log (duplicates, ties, topics, snapshots, client sources, second-precision times) yields the same state per contact', () => {
    fc.assert(
      fc.property(arbReplays, ([facts, replayA, replayB]) => {
        const a = project(replayA);
        expect(a).toEqual(project(replayB));
        expect(winners(a)).toEqual(oracle(facts));
      }),
      { numRuns: 500 },
    );
  });

  it('channels do not even need the history flag: evolve alone converges (only version would differ)', () => {
    fc.assert(
      fc.property(arbReplays, ([facts, replay]) => {
        for (const [externalId, events] of byContact(replay)) {
          let state: ContactState | null = null;
          for (const event of events) {
            const evolution = evolve(state, event);
            if (evolution.effect !== 'rejected') state = evolution.state;
          }
          expect(state?.channels).toEqual(oracle(facts).get(externalId)?.channels);
        }
      }),
      { numRuns: 200 },
    );
  });
});
