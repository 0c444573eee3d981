import type { MarketingPreferenceUpdated } from '@optstream/contracts';
import { evolve, type ContactState, type Evolution } from './contact-state';
import { entersHistory, publishes } from './effects';
import { preferenceEvent as ev } from './testing/events';

/** Folds with evolve only (no history flag), returning the last evolution. */
const applyAll = (events: readonly MarketingPreferenceUpdated[]): Evolution => {
  let state: ContactState | null = null;
  let last: Evolution | undefined;
  for (const event of events) {
    last = evolve(state, event);
    if (last.effect !== 'rejected') state = last.state;
  }
  if (last === undefined) throw new Error('no events');
  return last;
};

const stateOf = (evolution: Evolution): ContactState => {
  if (evolution.state === null) throw new Error(`no state after ${evolution.effect}`);
  return evolution.state;
};

describe('evolve', () => {
  it('the first event creates the contact: changed, from no status, version 1', () => {
    const e = ev({ eventId: 'e1', channel: 'sms', newStatus: 'subscribed', occurredAt: 10 });
    const result = evolve(null, e);
    expect(result).toEqual({
      effect: 'changed',
      channel: 'sms',
      topic: null,
      previous: null,
      state: {
        externalId: 'contact-1',
        version: 1,
        channels: {
          sms: {
            status: 'subscribed',
            occurredAt: 10,
            eventId: 'e1',
            sourceOfChange: 'Signup Form',
            sourceSystem: 'optstream_api',
            providerEventRef: 'ref-e1',
            precision: 'millisecond',
            strength: 'explicit',
            pendingExpiresAt: null,
          },
        },
        consent: { sms: { wide: { explicit: expect.objectContaining({ eventId: 'e1' }) }, topics: {} } },
      },
    });
  });

  it('a newer different status is an effective change', () => {
    const result = applyAll([
      ev({ eventId: 'e1', newStatus: 'subscribed', occurredAt: 10 }),
      ev({
        eventId: 'e2',
        newStatus: 'unsubscribed',
        occurredAt: 20,
        sourceOfChange: 'Email Unsubscribe Link',
      }),
    ]);
    expect(result).toMatchObject({ effect: 'changed', previous: 'subscribed' });
    expect(stateOf(result).channels.email).toMatchObject({
      status: 'unsubscribed',
      eventId: 'e2',
      sourceOfChange: 'Email Unsubscribe Link',
    });
    expect(stateOf(result).version).toBe(2);
  });

  it('a newer event with the same status moves the winner metadata but is not an effective change', () => {
    const result = applyAll([
      ev({ eventId: 'e1', newStatus: 'unsubscribed', occurredAt: 10 }),
      ev({ eventId: 'e2', newStatus: 'unsubscribed', occurredAt: 20, sourceOfChange: 'Spam Report' }),
    ]);
    expect(result.effect).toBe('same_status');
    expect(publishes(result)).toBe(false);
    expect(stateOf(result).channels.email).toMatchObject({
      eventId: 'e2',
      occurredAt: 20,
      sourceOfChange: 'Spam Report',
    });
  });

  it('a late older event is "older": channels untouched, enters history, publishes nothing', () => {
    const newer = evolve(null, ev({ eventId: 'e2', newStatus: 'unsubscribed', occurredAt: 20 }));
    const late = evolve(stateOf(newer), ev({ eventId: 'e1', newStatus: 'subscribed', occurredAt: 10 }));
    expect(late.effect).toBe('older');
    expect(stateOf(late).channels).toEqual(stateOf(newer).channels);
    expect(entersHistory(late)).toBe(true);
    expect(publishes(late)).toBe(false);
    // version counts distinct folded events (see ContactState), so it does move.
    expect(stateOf(late).version).toBe(2);
  });

  it('redelivery of the winning event is a duplicate and returns the very same state', () => {
    const first = evolve(null, ev({ eventId: 'e1' }));
    const again = evolve(stateOf(first), ev({ eventId: 'e1' }));
    expect(again.effect).toBe('duplicate');
    expect(again.state).toBe(first.state);
    expect(entersHistory(again)).toBe(false);
  });

  it('an eventId the caller already holds in history is a duplicate even if it is not a winner', () => {
    const newer = evolve(null, ev({ eventId: 'e2', occurredAt: 20 }));
    const again = evolve(stateOf(newer), ev({ eventId: 'e1', occurredAt: 10 }), { alreadySeen: true });
    expect(again.effect).toBe('duplicate');
    expect(again.state).toBe(newer.state);
  });

  it('one eventId is one fact: a replay claiming another channel is still a duplicate', () => {
    const first = evolve(null, ev({ eventId: 'e1', channel: 'email' }));
    expect(evolve(stateOf(first), ev({ eventId: 'e1', channel: 'sms' })).effect).toBe('duplicate');
  });

  it.each([
    ['subscribed then unsubscribed', ['subscribed', 'unsubscribed'] as const],
    ['unsubscribed then subscribed', ['unsubscribed', 'subscribed'] as const],
  ])('exact occurredAt tie goes to unsubscribed (%s)', (_, [first, second]) => {
    const result = applyAll([
      // the subscribe carries the greater eventId, so only the status rule can make unsubscribe win
      ev({ eventId: first === 'subscribed' ? 'z' : 'a', newStatus: first, occurredAt: 7 }),
      ev({ eventId: second === 'subscribed' ? 'z' : 'a', newStatus: second, occurredAt: 7 }),
    ]);
    expect(stateOf(result).channels.email).toMatchObject({ status: 'unsubscribed', eventId: 'a' });
  });

  it.each([
    ['a then b', ['a', 'b']],
    ['b then a', ['b', 'a']],
  ])('exact tie with the same status goes to the greater eventId (%s)', (_, ids) => {
    const result = applyAll(ids.map((eventId) => ev({ eventId, newStatus: 'subscribed', occurredAt: 7 })));
    expect(stateOf(result).channels.email?.eventId).toBe('b');
  });

  it('channels are independent', () => {
    const result = applyAll([
      ev({ eventId: 'e1', channel: 'email', newStatus: 'unsubscribed', occurredAt: 30 }),
      ev({ eventId: 'e2', channel: 'sms', newStatus: 'subscribed', occurredAt: 10 }),
    ]);
    expect(result.effect).toBe('changed');
    expect(stateOf(result).channels).toMatchObject({
      email: { status: 'unsubscribed' },
      sms: { status: 'subscribed' },
    });
  });

  describe('rejects, never applies', () => {
    const existing = stateOf(evolve(null, ev({ eventId: 'e0' })));

    it.each([
      ['unknown channel', { channel: 'unknown' } as const, 'UNKNOWN_CHANNEL'],
      ['unknown status', { newStatus: 'unknown' } as const, 'UNKNOWN_STATUS'],
      ['another contact', { externalId: 'contact-2' }, 'WRONG_CONTACT'],
    ])('%s', (_, overrides, code) => {
      const result = evolve(existing, ev({ eventId: 'bad', ...overrides }));
      expect(result).toEqual({
        effect: 'rejected',
        state: existing,
        error: { code, retriable: false, eventId: 'bad', reason: expect.any(String) },
      });
      expect(result.state).toBe(existing);
      expect(publishes(result)).toBe(false);
      expect(entersHistory(result)).toBe(false);
    });

    it('a rejected first event leaves no state behind', () => {
      expect(evolve(null, ev({ newStatus: 'unknown' }))).toMatchObject({ effect: 'rejected', state: null });
    });
  });
});
