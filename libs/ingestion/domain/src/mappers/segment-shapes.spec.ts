import { derivedEventRef } from '../event-id';
import type { ContactInbound } from '../inbound-fact';
import type { MapResult } from './map-result';
import {
  mapSegmentBatch,
  mapSegmentCall,
  SEGMENT_MAX_BATCH_EVENTS,
  SEGMENT_TRAIT_SOURCE_OF_CHANGE,
} from './segment';

/** What the official libraries send beyond the basics: call types, the seed's trait model, sentAt. */
const ctx = { receivedAt: Date.UTC(2024, 2, 1, 12, 0, 10), defaultRegion: 'US' };
const facts = (results: readonly MapResult[]): ContactInbound[] =>
  results.flatMap((r) => (r.outcome === 'fact' ? [r.fact] : []));
const outcomes = (results: readonly MapResult[]) =>
  results.map((r) => (r.outcome === 'rejected' ? r.code : r.outcome));

const identify = (traits: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
  userId: 'user-7',
  messageId: 'msg-7',
  timestamp: '2024-03-01T12:00:00.000Z',
  traits,
  ...over,
});
const preferences = (results: readonly MapResult[]) =>
  facts(results)
    .filter((f) => f.kind === 'preference_change')
    .map((f) => ({
      channel: f.preferenceChange?.channel,
      status: f.preferenceChange?.newStatus,
      occurredAt: f.occurredAt,
      ref: f.source.providerEventRef,
    }));

describe('identify traits: the contact data model (booleans, strings, opt-in dates)', () => {
  it.each([
    [true, 'subscribed'],
    [false, 'unsubscribed'],
    ['subscribed', 'subscribed'],
    ['unsubscribed', 'unsubscribed'],
  ])('email_subscribed_status %j → email %s', (value, status) => {
    const results = mapSegmentCall('identify', identify({ email_subscribed_status: value }), ctx);
    expect(preferences(results)).toEqual([
      {
        channel: 'email',
        status,
        occurredAt: Date.UTC(2024, 2, 1, 12),
        ref: derivedEventRef('msg-7', 'email_subscribed_status'),
      },
    ]);
    expect(facts(results)[1]?.preferenceChange?.sourceOfChange).toBe(SEGMENT_TRAIT_SOURCE_OF_CHANGE);
  });

  it('sms_subscribed_status as a boolean is an SMS preference', () => {
    const results = mapSegmentCall('identify', identify({ sms_subscribed_status: false }), ctx);
    expect(preferences(results).map((p) => [p.channel, p.status])).toEqual([['sms', 'unsubscribed']]);
  });

  it('sms_opt_in_date and email_opt_in_date are an opt-in at that time', () => {
    const results = mapSegmentCall(
      'identify',
      identify({ sms_opt_in_date: '2023-06-01T08:30:00Z', email_opt_in_date: '2022-01-02T00:00:00+01:00' }),
      ctx,
    );
    expect(preferences(results)).toEqual([
      {
        channel: 'email',
        status: 'subscribed',
        occurredAt: Date.UTC(2022, 0, 1, 23),
        ref: derivedEventRef('msg-7', 'email_opt_in_date'),
      },
      {
        channel: 'sms',
        status: 'subscribed',
        occurredAt: Date.UTC(2023, 5, 1, 8, 30),
        ref: derivedEventRef('msg-7', 'sms_opt_in_date'),
      },
    ]);
  });

  it('a status trait decides its channel: an opt-in date next to an opt-out is not a subscription', () => {
    const results = mapSegmentCall(
      'identify',
      identify({ sms_subscribed_status: false, sms_opt_in_date: '2030-01-01T00:00:00Z' }),
      ctx,
    );
    expect(preferences(results).map((p) => [p.channel, p.status, p.occurredAt])).toEqual([
      ['sms', 'unsubscribed', Date.UTC(2024, 2, 1, 12)],
    ]);
  });

  it.each<[Record<string, unknown>, string, string]>([
    [
      { sms_subscribed_status: 1 },
      'INVALID_FIELD',
      'traits.sms_subscribed_status must be true, false, "subscribed" or "unsubscribed"; got number',
    ],
    [
      { sms_opt_in_date: 'last week' },
      'INVALID_TIMESTAMP',
      'traits.sms_opt_in_date: timestamp "last week" is not ISO 8601 with a time zone (e.g. 2024-03-01T12:00:00.000Z)',
    ],
  ])('rejects %j', (traits, code, reason) => {
    expect(mapSegmentCall('identify', identify(traits), ctx)).toMatchObject([
      { outcome: 'rejected', code, reason },
    ]);
  });
});

describe('sentAt: Segment clock-skew correction', () => {
  it('timestamp is moved by receivedAt − sentAt (a client clock 1 h fast)', () => {
    const results = mapSegmentCall(
      'identify',
      identify(
        {},
        { timestamp: '2024-03-01T13:00:00.000Z', sentAt: '2024-03-01T13:00:05.000Z' }, // client +1 h
      ),
      ctx,
    );
    // receivedAt − (sentAt − timestamp) = 12:00:10 − 5 s
    expect(facts(results)[0]?.occurredAt).toBe(Date.UTC(2024, 2, 1, 12, 0, 5));
  });

  it('a batch-level sentAt corrects every item; an item-level one wins', () => {
    const results = mapSegmentBatch(
      {
        batch: [
          { type: 'identify', ...identify({}, { messageId: 'a', timestamp: '2024-03-01T11:00:00Z' }) },
          {
            type: 'identify',
            ...identify(
              {},
              { messageId: 'b', timestamp: '2024-03-01T11:00:00Z', sentAt: '2024-03-01T11:00:10Z' },
            ),
          },
        ],
        sentAt: '2024-03-01T11:00:20Z',
      },
      ctx,
    );
    expect(facts(results).map((f) => f.occurredAt)).toEqual([
      Date.UTC(2024, 2, 1, 11, 59, 50),
      Date.UTC(2024, 2, 1, 12, 0, 0),
    ]);
  });

  it('without a client time, receivedAt; an invalid sentAt is refused', () => {
    const { timestamp: _t, ...untimed } = identify({}, { sentAt: '2024-03-01T13:00:00Z' });
    expect(facts(mapSegmentCall('identify', untimed, ctx))[0]?.occurredAt).toBe(ctx.receivedAt);
    expect(mapSegmentCall('identify', identify({}, { sentAt: 'soon' }), ctx)).toMatchObject([
      { outcome: 'rejected', code: 'INVALID_TIMESTAMP' },
    ]);
  });
});

describe('call types without consent', () => {
  it.each(['page', 'screen', 'group', 'alias'] as const)('%s is accepted and ignored', (type) => {
    const results = mapSegmentCall(type, { userId: 'u', previousId: 'anon-1', name: 'Home' }, ctx);
    expect(outcomes(results)).toEqual(['ignored']);
  });

  it('alias says why it links nothing', () => {
    expect(mapSegmentCall('alias', { userId: 'u', previousId: 'p' }, ctx)).toMatchObject([
      { outcome: 'ignored', reason: expect.stringContaining('previousId') },
    ]);
  });
});

describe('batch limits: an amplification bound', () => {
  const good = (i: number) => ({ type: 'identify', ...identify({}, { messageId: `m-${i}` }) });

  it(`more than ${SEGMENT_MAX_BATCH_EVENTS} items is refused whole`, () => {
    const batch = Array.from({ length: SEGMENT_MAX_BATCH_EVENTS + 1 }, (_, i) => good(i));
    expect(mapSegmentBatch({ batch }, ctx)).toMatchObject([
      {
        outcome: 'rejected',
        code: 'INVALID_BODY',
        reason: `a batch holds at most 2500 events; this one has 2501; nothing was accepted`,
      },
    ]);
    expect(outcomes(mapSegmentBatch({ batch: batch.slice(1) }, ctx))).toHaveLength(SEGMENT_MAX_BATCH_EVENTS);
  });

  it('a batch of mostly invalid items is refused whole; half invalid still goes through', () => {
    const mostlyBad = mapSegmentBatch({ batch: [good(1), {}, {}] }, ctx);
    expect(mostlyBad).toMatchObject([
      {
        outcome: 'rejected',
        code: 'INVALID_BODY',
        reason:
          '2 of 3 batch items are invalid; first: MISSING_FIELD type is required in batch items; nothing was accepted',
      },
    ]);
    expect(outcomes(mapSegmentBatch({ batch: [good(1), {}] }, ctx))).toEqual(['fact', 'MISSING_FIELD']);
  });
});
