import fc from 'fast-check';
import { mapMailchimpWebhook } from './mailchimp';
import { mapOptstreamPreferenceRequest } from './optstream-api';
import { mapSegmentBatch, mapSegmentCall } from './segment';
import { mapSendgridEvents } from './sendgrid';
import { mapTwilioSms } from './twilio-sms';
import type { MapResult } from './map-result';

const ctx = { receivedAt: 1_700_000_000_000, defaultRegion: 'US' };

/** Every result is well-formed: facts carry a usable identifier, rejections a code and a reason. */
const wellFormed = (results: readonly MapResult[]): void => {
  expect(Array.isArray(results)).toBe(true);
  for (const r of results) {
    if (r.outcome === 'fact') {
      const { externalId, email, phone } = r.fact.identifiers;
      expect(externalId ?? email ?? phone).not.toBeNull();
      expect(r.fact.eventId).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number.isInteger(r.fact.occurredAt)).toBe(true);
    } else if (r.outcome === 'rejected') {
      expect(r.code).toMatch(/^[A-Z_]+$/);
      expect(r.reason.length).toBeGreaterThan(0);
    } else {
      expect(r.reason.length).toBeGreaterThan(0);
    }
  }
};

// Arbitrary JSON, biased towards the shapes the mappers look at so deep branches are reached.
const interesting = fc.oneof(
  fc.jsonValue(),
  fc.record(
    {
      type: fc.constantFrom('identify', 'track', 'page', 'x', 7),
      event: fc.constantFrom(
        'unsubscribe',
        'spamreport',
        'open',
        'Marketing Preference Updated',
        'Push Notification Permission Changed',
        null,
      ),
      email: fc.oneof(fc.emailAddress(), fc.string(), fc.jsonValue()),
      sg_event_id: fc.oneof(fc.string(), fc.jsonValue()),
      timestamp: fc.oneof(
        fc.integer(),
        fc.string(),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      ),
      userId: fc.oneof(fc.string(), fc.jsonValue()),
      messageId: fc.string(),
      traits: fc.oneof(
        fc.dictionary(
          fc.constantFrom(
            'email',
            'phone',
            'email_subscribed_status',
            'sms_subscribed_status',
            'push_notification_enabled',
          ),
          fc.jsonValue(),
        ),
        fc.jsonValue(),
      ),
      properties: fc.oneof(
        fc.dictionary(
          fc.constantFrom('channel', 'new_status', 'source_of_change', 'timestamp', 'enabled'),
          fc.jsonValue(),
        ),
        fc.jsonValue(),
      ),
      channel: fc.constantFrom('email', 'sms', 'push', 'fax'),
      newStatus: fc.constantFrom('subscribed', 'unsubscribed', 1),
      requestId: fc.string(),
      occurredAt: fc.string(),
      sourceOfChange: fc.string(),
      phone: fc.string(),
    },
    { requiredKeys: [] },
  ),
);
const json = fc.oneof(
  interesting,
  fc.array(interesting),
  fc.record({ batch: fc.array(interesting) }, { requiredKeys: [] }),
);

const form = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'Body',
      'From',
      'MessageSid',
      'OptOutType',
      'type',
      'fired_at',
      'data[email]',
      'data[list_id]',
      'data[merges][FNAME]',
    ),
    fc.string(),
  ),
  fc.oneof(
    fc.string(),
    fc.constantFrom(
      'STOP',
      'start',
      'unsubscribe',
      'profile',
      '2024-01-01 00:00:00',
      'SM1f0e8ae6ade43cb3c0ce4525424e404f',
      '+12133734253',
    ),
    fc.array(fc.string(), { maxLength: 3 }),
  ),
);

describe('mappers never throw', () => {
  it('on arbitrary JSON bodies', () => {
    fc.assert(
      fc.property(json, (body) => {
        wellFormed(mapSendgridEvents(body, ctx));
        wellFormed(mapSegmentCall('identify', body, ctx));
        wellFormed(mapSegmentCall('track', body, ctx));
        wellFormed(mapSegmentBatch(body, ctx));
        wellFormed(mapOptstreamPreferenceRequest(body, ctx));
      }),
      { numRuns: 2000 },
    );
  });

  it('on arbitrary form fields', () => {
    fc.assert(
      fc.property(form, (fields) => {
        wellFormed(mapTwilioSms(fields, ctx));
        wellFormed(mapMailchimpWebhook(fields, ctx));
      }),
      { numRuns: 2000 },
    );
  });
});
