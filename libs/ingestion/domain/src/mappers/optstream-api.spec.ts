import { deriveEventId } from '../event-id';
import { mapOptstreamPreferenceRequest } from './optstream-api';

const ctx = { receivedAt: 1_700_000_100_000, defaultRegion: 'GB' };
const body = {
  externalId: '7f9c2a4e-1b2d-4c3e-9f00-1234567890ab',
  phone: '07911 123456',
  channel: 'sms',
  newStatus: 'unsubscribed',
  sourceOfChange: 'Support Call',
  occurredAt: '2023-11-14T22:13:20Z',
  requestId: 'req-1',
};

describe('mapOptstreamPreferenceRequest', () => {
  it('maps a valid request', () => {
    expect(mapOptstreamPreferenceRequest(body, ctx)).toEqual([
      {
        outcome: 'fact',
        fact: {
          eventId: deriveEventId('optstream_api', 'req-1'),
          source: { system: 'optstream_api', providerEventRef: 'req-1' },
          occurredAt: 1_700_000_000_000,
          receivedAt: ctx.receivedAt,
          identifiers: {
            externalId: body.externalId,
            email: null,
            phone: '+447911123456',
            anonymousId: null,
          },
          kind: 'preference_change',
          preferenceChange: { channel: 'sms', newStatus: 'unsubscribed', sourceOfChange: 'Support Call' },
          identify: null,
          pushPermissionChange: null,
        },
      },
    ]);
  });

  it.each<[Record<string, unknown>, string, string]>([
    [
      { new_status: 'subscribed' },
      'INVALID_FIELD',
      'unknown field "new_status"; allowed: externalId, email, phone, channel, newStatus, sourceOfChange, occurredAt, requestId, topic, evidence, ipAddress, userAgent',
    ],
    [{ requestId: undefined }, 'MISSING_FIELD', 'requestId is required'],
    [{ channel: 'fax' }, 'INVALID_FIELD', 'channel must be one of email, sms, push; got "fax"'],
    [
      { newStatus: 'unknown' },
      'INVALID_FIELD',
      'newStatus must be one of subscribed, unsubscribed; got "unknown"',
    ],
    [{ sourceOfChange: ' ' }, 'INVALID_FIELD', 'sourceOfChange must not be empty'],
    [{ occurredAt: undefined }, 'MISSING_FIELD', 'occurredAt is required'],
    [
      { occurredAt: '2023-11-14 22:13:20' },
      'INVALID_TIMESTAMP',
      'occurredAt: timestamp "2023-11-14 22:13:20" is not ISO 8601 with a time zone (e.g. 2024-03-01T12:00:00.000Z)',
    ],
    [{ phone: 'abc' }, 'INVALID_PHONE', 'phone: phone is not a number'],
    [{ email: 'x@y' }, 'INVALID_EMAIL', 'email: email domain has no top-level domain'],
    [
      { externalId: undefined, phone: undefined },
      'NO_IDENTIFIER',
      'no usable identifier: need one of externalId, email, phone',
    ],
  ])('rejects %j', (over, code, reason) => {
    const original = { ...body, ...over };
    expect(mapOptstreamPreferenceRequest(original, ctx)).toEqual([
      { outcome: 'rejected', code, reason, original },
    ]);
  });

  it('rejects non-object bodies', () => {
    expect(mapOptstreamPreferenceRequest('x', ctx)).toMatchObject([
      { code: 'INVALID_BODY', reason: 'body must be a JSON object; got string' },
    ]);
  });
});
