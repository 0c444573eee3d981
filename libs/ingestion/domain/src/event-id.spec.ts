import fc from 'fast-check';
import { validate, version } from 'uuid';
import {
  contentEventRef,
  deriveEventId,
  derivedEventRef,
  mailchimpEventRef,
  OPTSTREAM_EVENT_NAMESPACE,
} from './event-id';
import type { SourceSystem } from './inbound-fact';

const systems: SourceSystem[] = ['sendgrid', 'twilio', 'mailchimp', 'segment', 'optstream_api'];

describe('deriveEventId', () => {
  it('is a v5 UUID in the optstream namespace, pinned so ids never drift', () => {
    const id = deriveEventId('sendgrid', 'ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA');
    expect(validate(id) && version(id)).toBe(5);
    expect(OPTSTREAM_EVENT_NAMESPACE).toBe('6f1b7c1e-3d2a-5b8e-9c4f-0a7d2e9b1c33');
    expect(id).toBe('593ca18a-afa2-56cf-bd7b-0128c7a6a5f4');
  });

  it('is deterministic for the same (system, ref)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...systems), fc.string(), (system, ref) => {
        expect(deriveEventId(system, ref)).toBe(deriveEventId(system, ref));
      }),
    );
  });

  it('differs for distinct refs of one system', () => {
    fc.assert(
      fc.property(fc.constantFrom(...systems), fc.string(), fc.string(), (system, a, b) => {
        fc.pre(a !== b);
        expect(deriveEventId(system, a)).not.toBe(deriveEventId(system, b));
      }),
    );
  });

  it('differs for the same ref from distinct systems', () => {
    expect(deriveEventId('twilio', 'SM1')).not.toBe(deriveEventId('segment', 'SM1'));
  });
});

describe('event refs', () => {
  it('mailchimp refs collapse identical webhooks and separate different ones', () => {
    const ref = mailchimpEventRef('unsubscribe', '2009-03-26 21:35:57', 'a@b.co', 'a6b5da1054');
    expect(ref).toMatch(/^mc-[0-9a-f]{64}$/);
    expect(mailchimpEventRef('unsubscribe', '2009-03-26 21:35:57', 'a@b.co', 'a6b5da1054')).toBe(ref);
    expect(mailchimpEventRef('subscribe', '2009-03-26 21:35:57', 'a@b.co', 'a6b5da1054')).not.toBe(ref);
    expect(mailchimpEventRef('unsubscribe', '2009-03-26 21:35:58', 'a@b.co', 'a6b5da1054')).not.toBe(ref);
    expect(mailchimpEventRef('unsubscribe', '2009-03-26 21:35:57', 'a@b.co', 'other')).not.toBe(ref);
    expect(ref).not.toContain('a@b.co');
  });

  it('derived and content refs are stable and distinct', () => {
    expect(derivedEventRef('msg-1', 'sms_subscribed_status')).toBe('msg-1#sms_subscribed_status');
    expect(contentEventRef('{"a":1}')).toBe(contentEventRef('{"a":1}'));
    expect(contentEventRef('{"a":1}')).not.toBe(contentEventRef('{"a":2}'));
  });
});
