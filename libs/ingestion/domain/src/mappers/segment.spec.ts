import { deriveEventId, derivedEventRef } from '../event-id';
import type { ContactInbound } from '../inbound-fact';
import { mapSegmentBatch, mapSegmentCall, SEGMENT_TRAIT_SOURCE_OF_CHANGE } from './segment';
import type { MapResult } from './map-result';

const ctx = { receivedAt: 1_709_294_500_000, defaultRegion: 'US' };
const facts = (results: readonly MapResult[]): ContactInbound[] =>
  results.flatMap((r) => (r.outcome === 'fact' ? [r.fact] : []));

// As sent by @segment/analytics-node.
const identify = {
  userId: '7f9c2a4e-1b2d-4c3e-9f00-1234567890ab',
  anonymousId: 'anon-device-1',
  messageId: 'node-next-1709294400000-abc',
  timestamp: '2024-03-01T12:00:00.000Z',
  traits: {
    email: 'Jane@Example.com',
    phone: '(213) 373-4253',
    name: 'Jane',
    email_subscribed_status: 'subscribed',
    sms_subscribed_status: 'unsubscribed',
    push_notification_enabled: false,
  },
  context: { library: { name: '@segment/analytics-node', version: '2.2.1' } },
  integrations: {},
};

const track = (event: string, properties: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
  userId: 'user-42',
  messageId: 'msg-track-1',
  event,
  properties,
  timestamp: '2024-03-01T12:00:00.000Z',
  ...over,
});

/** Identify traits are a snapshot (docs/consent-model.md, "Evidence strength"). */
const SNAPSHOT = { strength: 'snapshot', kind: 'identify_traits' };

describe('mapSegmentCall identify', () => {
  const results = mapSegmentCall('identify', identify, ctx);
  const all = facts(results);

  it('emits the identify fact with normalized identifiers and the traits as JSON', () => {
    expect(results.every((r) => r.outcome === 'fact')).toBe(true);
    expect(all[0]).toEqual({
      eventId: deriveEventId('segment', identify.messageId),
      source: { system: 'segment', providerEventRef: identify.messageId },
      occurredAt: Date.UTC(2024, 2, 1, 12),
      receivedAt: ctx.receivedAt,
      identifiers: {
        externalId: identify.userId,
        email: 'jane@example.com',
        phone: '+12133734253',
        anonymousId: 'anon-device-1',
      },
      kind: 'identify',
      preferenceChange: null,
      identify: { traitsJson: JSON.stringify(identify.traits) },
      pushPermissionChange: null,
    });
  });

  // Apps resend cached traits on every identify: a copy of a state, never the person's act (case 3).

  it('emits one preference change per consent trait, each a snapshot with its own deterministic id', () => {
    expect(all.slice(1).map((f) => [f.source.providerEventRef, f.preferenceChange])).toEqual([
      [
        derivedEventRef(identify.messageId, 'email_subscribed_status'),
        {
          channel: 'email',
          newStatus: 'subscribed',
          sourceOfChange: SEGMENT_TRAIT_SOURCE_OF_CHANGE,
          evidence: SNAPSHOT,
        },
      ],
      [
        derivedEventRef(identify.messageId, 'sms_subscribed_status'),
        {
          channel: 'sms',
          newStatus: 'unsubscribed',
          sourceOfChange: SEGMENT_TRAIT_SOURCE_OF_CHANGE,
          evidence: SNAPSHOT,
        },
      ],
      [
        derivedEventRef(identify.messageId, 'push_notification_enabled'),
        {
          channel: 'push',
          newStatus: 'unsubscribed',
          sourceOfChange: SEGMENT_TRAIT_SOURCE_OF_CHANGE,
          evidence: SNAPSHOT,
        },
      ],
    ]);
    expect(new Set(all.map((f) => f.eventId)).size).toBe(4);
    expect(facts(mapSegmentCall('identify', identify, ctx)).map((f) => f.eventId)).toEqual(
      all.map((f) => f.eventId),
    );
  });

  it('blocked placeholder ids do not become identifiers', () => {
    const [fact] = facts(
      mapSegmentCall(
        'identify',
        { ...identify, userId: 'null', anonymousId: '00000000-0000-0000-0000-000000000000' },
        ctx,
      ),
    );
    expect(fact?.identifiers).toEqual({
      externalId: null,
      email: 'jane@example.com',
      phone: '+12133734253',
      anonymousId: null,
    });
  });

  it('falls back to originalTimestamp, then receivedAt', () => {
    const { timestamp: _t, ...noTimestamp } = identify;
    expect(
      facts(mapSegmentCall('identify', { ...noTimestamp, originalTimestamp: '2024-02-01T00:00:00Z' }, ctx))[0]
        ?.occurredAt,
    ).toBe(Date.UTC(2024, 1, 1));
    expect(facts(mapSegmentCall('identify', noTimestamp, ctx))[0]?.occurredAt).toBe(ctx.receivedAt);
  });

  it('derives a content ref when messageId is missing, stable across retries', () => {
    const { messageId: _m, ...noMessageId } = identify;
    const a = facts(mapSegmentCall('identify', noMessageId, ctx))[0];
    const b = facts(mapSegmentCall('identify', noMessageId, ctx))[0];
    expect(a?.source.providerEventRef).toMatch(/^content-[0-9a-f]{64}$/);
    expect(a?.eventId).toBe(b?.eventId);
  });

  it.each<[Record<string, unknown>, string, string]>([
    [{ userId: undefined, anonymousId: undefined }, 'MISSING_FIELD', 'userId or anonymousId is required'],
    [{ userId: 42 }, 'INVALID_IDENTIFIER', 'userId must be a string; got number'],
    [{ traits: 'x' }, 'INVALID_FIELD', 'traits must be an object; got string'],
    [{ traits: { email: 'jane@' } }, 'INVALID_EMAIL', 'traits.email: email has no domain after "@"'],
    [{ traits: { phone: '12' } }, 'INVALID_PHONE', 'traits.phone: phone is too short'],
    [
      { traits: { email_subscribed_status: 'yes' } },
      'INVALID_FIELD',
      'traits.email_subscribed_status must be true, false, "subscribed" or "unsubscribed"; got "yes"',
    ],
    [
      { traits: { push_notification_enabled: 'false' } },
      'INVALID_FIELD',
      'traits.push_notification_enabled must be a boolean; got string',
    ],
    [
      { timestamp: 'yesterday' },
      'INVALID_TIMESTAMP',
      'timestamp: timestamp "yesterday" is not ISO 8601 with a time zone (e.g. 2024-03-01T12:00:00.000Z)',
    ],
    [{ messageId: 5 }, 'INVALID_FIELD', 'messageId must be a string; got number'],
    [
      { userId: 'anonymous', anonymousId: 'a-1', traits: {} },
      'NO_IDENTIFIER',
      'no usable identifier: need one of userId, traits.email, traits.phone',
    ],
  ])('rejects %j', (over, code, reason) => {
    const original = { ...identify, ...over };
    expect(mapSegmentCall('identify', original, ctx)).toEqual([
      { outcome: 'rejected', code, reason, original },
    ]);
  });
});

describe('mapSegmentCall track', () => {
  it('Marketing Preference Updated maps its properties one to one', () => {
    const call = track('Marketing Preference Updated', {
      channel: 'sms',
      new_status: 'unsubscribed',
      source_of_change: 'Mobile App Settings',
      timestamp: '2024-02-29T23:59:59Z',
    });
    expect(facts(mapSegmentCall('track', call, ctx))).toEqual([
      {
        eventId: deriveEventId('segment', 'msg-track-1'),
        source: { system: 'segment', providerEventRef: 'msg-track-1' },
        occurredAt: Date.UTC(2024, 1, 29, 23, 59, 59),
        receivedAt: ctx.receivedAt,
        identifiers: { externalId: 'user-42', email: null, phone: null, anonymousId: null },
        kind: 'preference_change',
        preferenceChange: {
          channel: 'sms',
          newStatus: 'unsubscribed',
          sourceOfChange: 'Mobile App Settings',
        },
        identify: null,
        pushPermissionChange: null,
      },
    ]);
  });

  it('takes the email from context.traits (Segment email spec)', () => {
    const call = track(
      'Marketing Preference Updated',
      { channel: 'email', new_status: 'subscribed', source_of_change: 'Preference Center' },
      {
        userId: undefined,
        anonymousId: 'a-1',
        context: { traits: { email: 'X@Y.io' } },
      },
    );
    expect(facts(mapSegmentCall('track', call, ctx))[0]).toMatchObject({
      occurredAt: Date.UTC(2024, 2, 1, 12),
      identifiers: { email: 'x@y.io', anonymousId: 'a-1' },
    });
  });

  it('Push Notification Permission Changed → push permission change', () => {
    expect(
      facts(
        mapSegmentCall('track', track('Push Notification Permission Changed', { enabled: false }), ctx),
      )[0],
    ).toMatchObject({
      kind: 'push_permission_change',
      preferenceChange: null,
      pushPermissionChange: { enabled: false, sourceOfChange: 'Mobile App Settings' },
    });
  });

  it('other track events are ignored', () => {
    expect(mapSegmentCall('track', track('Order Completed', { total: 3 }), ctx)).toMatchObject([
      { outcome: 'ignored', reason: 'track event "Order Completed" carries no consent' },
    ]);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'Marketing Preference Updated',
      { channel: 'fax', new_status: 'unsubscribed', source_of_change: 'x' },
      'INVALID_FIELD',
      'properties.channel must be one of email, sms, push; got "fax"',
    ],
    [
      'Marketing Preference Updated',
      { channel: 'email', source_of_change: 'x' },
      'MISSING_FIELD',
      'properties.new_status is required (one of subscribed, unsubscribed)',
    ],
    [
      'Marketing Preference Updated',
      { channel: 'email', new_status: 'unsubscribed' },
      'MISSING_FIELD',
      'properties.source_of_change is required',
    ],
    [
      'Marketing Preference Updated',
      { channel: 'email', new_status: 'unsubscribed', source_of_change: 'x', timestamp: 1709294400 },
      'INVALID_TIMESTAMP',
      'properties.timestamp: timestamp must be an ISO 8601 string; got number',
    ],
    [
      'Push Notification Permission Changed',
      { enabled: 'no' },
      'INVALID_FIELD',
      'properties.enabled must be a boolean; got string',
    ],
    [
      'Push Notification Permission Changed',
      {},
      'MISSING_FIELD',
      'properties.enabled is required (true or false)',
    ],
  ])('%s with %j is rejected', (event, properties, code, reason) => {
    expect(mapSegmentCall('track', track(event, properties), ctx)).toMatchObject([
      { outcome: 'rejected', code, reason },
    ]);
  });

  it('rejects a body that is not an object', () => {
    expect(mapSegmentCall('track', [], ctx)).toMatchObject([
      {
        outcome: 'rejected',
        code: 'INVALID_BODY',
        reason: 'Segment track body must be a JSON object; got array',
      },
    ]);
  });
});

describe('mapSegmentBatch', () => {
  it('maps every item on its own, good ones through, bad ones rejected', () => {
    const results = mapSegmentBatch(
      {
        batch: [
          {
            type: 'track',
            ...track('Marketing Preference Updated', {
              channel: 'push',
              new_status: 'subscribed',
              source_of_change: 'Onboarding',
            }),
          },
          { type: 'page', userId: 'u', name: 'Home' },
          {
            type: 'track',
            ...track('Marketing Preference Updated', {
              channel: 'fax',
              new_status: 'subscribed',
              source_of_change: 'x',
            }),
          },
          { type: 'identify', userId: 'u-2', messageId: 'm-2', traits: {} },
          { type: 'launch' },
          { userId: 'u' },
        ],
        sentAt: '2024-03-01T12:00:01.000Z',
      },
      ctx,
    );
    expect(results.map((r) => (r.outcome === 'rejected' ? r.code : r.outcome))).toEqual([
      'fact',
      'ignored',
      'INVALID_FIELD',
      'fact',
      'UNKNOWN_EVENT_TYPE',
      'MISSING_FIELD',
    ]);
  });

  it('uses the batch-level context when an item has none', () => {
    const results = mapSegmentBatch(
      {
        batch: [{ type: 'identify', anonymousId: 'a-1', messageId: 'm-1' }],
        context: { traits: { email: 'shared@example.com' } },
      },
      ctx,
    );
    expect(facts(results)[0]?.identifiers.email).toBe('shared@example.com');
  });

  it.each([
    [[], 'Segment batch body must be a JSON object; got array'],
    [{ batch: {} }, 'batch must be an array; got object'],
  ])('rejects %j as a whole', (body, reason) => {
    expect(mapSegmentBatch(body, ctx)).toEqual([
      { outcome: 'rejected', code: 'INVALID_BODY', reason, original: body },
    ]);
  });
});
