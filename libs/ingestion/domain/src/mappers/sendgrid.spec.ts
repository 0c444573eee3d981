import { deriveEventId } from '../event-id';
import { mapSendgridEvents } from './sendgrid';

const ctx = {
  receivedAt: 1_700_000_100_000,
  defaultRegion: 'US',
  sendgridGroupTopic: (id: number) => (id === 42 ? 'newsletter' : undefined),
};
const event = (over: Record<string, unknown>) => ({
  email: ' Example@Test.com ',
  timestamp: 1700000000,
  'smtp-id': '<14c5d75ce93.dfd.64b469@ismtpd-555>',
  sg_event_id: 'sg-evt-1',
  sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0',
  category: ['cat facts'],
  ...over,
});

describe('mapSendgridEvents', () => {
  it.each([
    ['unsubscribe', 'unsubscribed', 'Email Unsubscribe Link', null, 'unsubscribe_link'],
    ['group_unsubscribe', 'unsubscribed', 'Email Unsubscribe Link', 'newsletter', 'group_unsubscribe'],
    ['spamreport', 'unsubscribed', 'Spam Report', null, 'spam_report'],
    ['group_resubscribe', 'subscribed', 'Email Resubscribe Link', 'newsletter', 'group_resubscribe'],
  ])(
    '%s → email %s (%s), topic %s, explicit %s, second precision',
    (type, newStatus, sourceOfChange, topic, kind) => {
      const [result] = mapSendgridEvents([event({ event: type, asm_group_id: 42 })], ctx);
      expect(result).toEqual({
        outcome: 'fact',
        fact: {
          eventId: deriveEventId('sendgrid', 'sg-evt-1'),
          source: { system: 'sendgrid', providerEventRef: 'sg-evt-1' },
          occurredAt: 1_700_000_000_000,
          receivedAt: ctx.receivedAt,
          identifiers: { externalId: null, email: 'example@test.com', phone: null, anonymousId: null },
          kind: 'preference_change',
          preferenceChange: {
            channel: 'email',
            newStatus,
            sourceOfChange,
            topic,
            evidence: { strength: 'explicit', kind, trust: 'server' },
          },
          identify: null,
          pushPermissionChange: null,
          occurredAtPrecision: 'second',
        },
      });
    },
  );

  it('a group unsubscribe of a group the catalogue does not know is a channel-wide unsubscribe', () => {
    const [result] = mapSendgridEvents([event({ event: 'group_unsubscribe', asm_group_id: 7 })], ctx);
    expect(result).toMatchObject({ outcome: 'fact', fact: { preferenceChange: { topic: null } } });
  });

  it('a group resubscribe of an unknown group is rejected: it must never become a channel-wide opt-in', () => {
    const [result] = mapSendgridEvents([event({ event: 'group_resubscribe', asm_group_id: 7 })], ctx);
    expect(result).toMatchObject({ outcome: 'rejected', code: 'UNKNOWN_TOPIC' });
    const [noGroup] = mapSendgridEvents([event({ event: 'group_resubscribe' })], ctx);
    expect(noGroup).toMatchObject({ outcome: 'rejected', code: 'INVALID_FIELD' });
  });

  it.each([
    'processed',
    'deferred',
    'delivered',
    'bounce',
    'dropped',
    'open',
    'click',
    'account_status_change',
  ])('%s is ignored, not an error', (type) => {
    const original = event({ event: type });
    expect(mapSendgridEvents([original], ctx)).toEqual([
      { outcome: 'ignored', reason: `SendGrid "${type}" carries no consent change`, original },
    ]);
  });

  it('keeps good events and rejects bad ones individually, in order', () => {
    const bad = event({ event: 'unsubscribe', email: 'not-an-email' });
    const results = mapSendgridEvents(
      [event({ event: 'unsubscribe' }), bad, event({ event: 'open' }), 'junk'],
      ctx,
    );
    expect(results.map((r) => r.outcome)).toEqual(['fact', 'rejected', 'ignored', 'rejected']);
    expect(results[1]).toEqual({
      outcome: 'rejected',
      code: 'INVALID_EMAIL',
      reason: 'email: email has no "@"',
      original: bad,
    });
    expect(results[3]).toMatchObject({
      code: 'INVALID_EVENT',
      reason: 'each SendGrid event must be an object; got string',
    });
  });

  it.each<[Record<string, unknown>, string, string]>([
    [{ event: 'unsubscribe', sg_event_id: undefined }, 'MISSING_FIELD', 'sg_event_id is required'],
    [
      { event: 'unsubscribe', sg_event_id: 'x'.repeat(101) },
      'INVALID_FIELD',
      'sg_event_id must be at most 100 characters; got 101',
    ],
    [
      { event: 'unsubscribe', timestamp: '1700000000' },
      'INVALID_TIMESTAMP',
      'timestamp must be an integer number of Unix seconds; got string "1700000000"',
    ],
    [{ event: 'unsubscribe', email: undefined }, 'MISSING_FIELD', 'email is required'],
    [{ event: 'unsubscribe', email: '' }, 'NO_IDENTIFIER', 'no usable identifier: need one of email'],
    [{ event: 'unsubscrbe' }, 'UNKNOWN_EVENT_TYPE', 'event "unsubscrbe" is not a known SendGrid event type'],
    [{ event: 7 }, 'INVALID_FIELD', 'event must be a string; got number'],
  ])('rejects %j with %s', (over, code, reason) => {
    const original = event(over);
    expect(mapSendgridEvents([original], ctx)).toEqual([{ outcome: 'rejected', code, reason, original }]);
  });

  it('rejects a body that is not an array as a whole', () => {
    expect(mapSendgridEvents({ event: 'unsubscribe' }, ctx)).toEqual([
      {
        outcome: 'rejected',
        code: 'INVALID_BODY',
        reason: 'SendGrid body must be a JSON array of events; got object',
        original: { event: 'unsubscribe' },
      },
    ]);
  });

  it('gives a duplicate delivery the same event id', () => {
    const [a] = mapSendgridEvents([event({ event: 'unsubscribe' })], ctx);
    const [b] = mapSendgridEvents([event({ event: 'unsubscribe' })], {
      ...ctx,
      receivedAt: ctx.receivedAt + 3_600_000,
    });
    expect(a?.outcome === 'fact' && b?.outcome === 'fact' && a.fact.eventId === b.fact.eventId).toBe(true);
  });
});
