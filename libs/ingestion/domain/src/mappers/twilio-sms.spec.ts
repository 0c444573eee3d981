import { deriveEventId } from '../event-id';
import { mapTwilioSms } from './twilio-sms';

const ctx = { receivedAt: 1_700_000_100_000, defaultRegion: 'US' };
const SID = 'SM1f0e8ae6ade43cb3c0ce4525424e404f';
const inbound = (over: Record<string, string | undefined>) => ({
  ToCountry: 'US',
  SmsMessageSid: SID,
  NumMedia: '0',
  SmsSid: SID,
  SmsStatus: 'received',
  Body: 'STOP',
  To: '+18005551212',
  NumSegments: '1',
  MessageSid: SID,
  AccountSid: 'ACf2b5ce5bb1a7d6f1f4ed3b7b4c9f4e1a',
  From: '+12133734253',
  ApiVersion: '2010-04-01',
  ...over,
});

describe('mapTwilioSms', () => {
  it.each([
    [{ Body: 'STOP' }, 'unsubscribed', 'SMS STOP Reply'],
    [{ Body: ' quit ' }, 'unsubscribed', 'SMS STOP Reply'],
    [{ Body: 'Start' }, 'subscribed', 'SMS START Reply'],
    [{ Body: 'arrêtez', OptOutType: 'STOP' }, 'unsubscribed', 'SMS STOP Reply'],
    [{ Body: 'ok go', OptOutType: 'START' }, 'subscribed', 'SMS START Reply'],
  ])('%j → sms %s', (over, newStatus, sourceOfChange) => {
    expect(mapTwilioSms(inbound(over), ctx)).toEqual([
      {
        outcome: 'fact',
        fact: {
          eventId: deriveEventId('twilio', SID),
          source: { system: 'twilio', providerEventRef: SID },
          occurredAt: ctx.receivedAt,
          receivedAt: ctx.receivedAt,
          identifiers: { externalId: null, email: null, phone: '+12133734253', anonymousId: null },
          kind: 'preference_change',
          preferenceChange: {
            channel: 'sms',
            newStatus,
            sourceOfChange,
            evidence: { strength: 'explicit', kind: 'sms_keyword' },
          },
          identify: null,
          pushPermissionChange: null,
        },
      },
    ]);
  });

  it.each([
    [{ Body: 'HELP' }, 'SMS keyword class "help" changes no consent'],
    [{ Body: 'STOP', OptOutType: 'HELP' }, 'SMS keyword class "help" changes no consent'],
    [{ Body: 'Please stop sending these' }, 'SMS keyword class "none" changes no consent'],
    [{ Body: undefined }, 'SMS keyword class "none" changes no consent'],
  ])('%j changes nothing', (over, reason) => {
    expect(mapTwilioSms(inbound(over), ctx)).toEqual([
      { outcome: 'ignored', reason, original: inbound(over) },
    ]);
  });

  it('normalizes a national From with the default region', () => {
    const [result] = mapTwilioSms(inbound({ From: '(213) 373-4253' }), ctx);
    expect(result?.outcome === 'fact' && result.fact.identifiers.phone).toBe('+12133734253');
  });

  it.each<[Record<string, string | undefined>, string, string]>([
    [{ MessageSid: undefined }, 'MISSING_FIELD', 'MessageSid is required'],
    [{ MessageSid: 'SM123' }, 'INVALID_FIELD', 'MessageSid "SM123" is not SM/MM followed by 32 hex digits'],
    [{ From: undefined }, 'MISSING_FIELD', 'From is required'],
    [
      { From: 'whatsapp:+12133734253' },
      'INVALID_PHONE',
      'From uses the "whatsapp:" channel prefix; only SMS numbers carry SMS consent',
    ],
    [{ From: '+1 213' }, 'INVALID_PHONE', 'From: phone is too short'],
    [{ From: '' }, 'NO_IDENTIFIER', 'no usable identifier: need one of From'],
  ])('rejects a STOP with %j', (over, code, reason) => {
    expect(mapTwilioSms(inbound(over), ctx)).toEqual([
      { outcome: 'rejected', code, reason, original: inbound(over) },
    ]);
  });
});
