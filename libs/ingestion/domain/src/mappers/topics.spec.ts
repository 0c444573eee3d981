import { derivedEventRef, mailchimpEventRef } from '../event-id';
import { parseFormBody } from '../form';
import type { ContactInbound } from '../inbound-fact';
import type { MapperContext, MapResult } from './map-result';
import { mailchimpInterestNames, mapMailchimpWebhook } from './mailchimp';
import { mapOptstreamPreferenceRequest } from './optstream-api';
import { mapSegmentCall } from './segment';

/**
 * Topics from every source the consent model names (docs/consent-model.md, docs/ingestion-gateway.md):
 * Segment track `topic`, identify `<channel>_topics` traits, Mailchimp profile interests, the signed API.
 * The catalogue here mirrors libs/shared/consent-topics/consent-topics.json.
 */
const TOPIC_CHANNELS: Readonly<Record<string, readonly string[]>> = {
  newsletter: ['email'],
  'product-updates': ['email', 'push'],
  promotions: ['email', 'sms'],
};
const ctx: MapperContext = {
  receivedAt: 1_709_294_500_000,
  defaultRegion: 'US',
  topicOfChannel: (topic, channel) => TOPIC_CHANNELS[topic]?.includes(channel) ?? false,
  mailchimpInterests: [
    { topic: 'newsletter', name: 'Weekly newsletter' },
    { topic: 'promotions', name: 'Offers, and promotions' },
  ],
};
const noCatalogue: MapperContext = { receivedAt: ctx.receivedAt, defaultRegion: 'US' };

const facts = (results: readonly MapResult[]): ContactInbound[] =>
  results.flatMap((r) => (r.outcome === 'fact' ? [r.fact] : []));
const rejected = (results: readonly MapResult[]) =>
  results.flatMap((r) => (r.outcome === 'rejected' ? [{ code: r.code, reason: r.reason }] : []));

describe('Segment track "Marketing Preference Updated" with a topic', () => {
  const track = (properties: Record<string, unknown>) => ({
    userId: 'user-42',
    messageId: 'msg-topic-1',
    event: 'Marketing Preference Updated',
    properties: { new_status: 'unsubscribed', source_of_change: 'Preference Center', ...properties },
  });

  it.each<[string, Record<string, unknown>, string | null]>([
    ['a topic of the channel', { channel: 'email', topic: 'newsletter' }, 'newsletter'],
    ['a topic on its second channel', { channel: 'push', topic: 'product-updates' }, 'product-updates'],
    ['no topic: the whole channel', { channel: 'sms' }, null],
    ['a null topic: the whole channel', { channel: 'sms', topic: null }, null],
  ])('%s', (_, properties, topic) => {
    const [fact] = facts(mapSegmentCall('track', track(properties), ctx));
    expect(fact?.preferenceChange).toEqual({
      channel: properties['channel'],
      newStatus: 'unsubscribed',
      sourceOfChange: 'Preference Center',
      ...(topic === null ? {} : { topic }),
    });
  });

  it.each<[string, Record<string, unknown>, MapperContext, string, string]>([
    [
      'a topic the catalogue lacks',
      { channel: 'email', topic: 'weekly-digest' },
      ctx,
      'UNKNOWN_TOPIC',
      'properties.topic "weekly-digest" is no email topic of the catalogue',
    ],
    [
      'a topic of another channel',
      { channel: 'sms', topic: 'newsletter' },
      ctx,
      'UNKNOWN_TOPIC',
      'properties.topic "newsletter" is no sms topic of the catalogue',
    ],
    [
      'any topic without a catalogue',
      { channel: 'email', topic: 'newsletter' },
      noCatalogue,
      'UNKNOWN_TOPIC',
      'properties.topic "newsletter" is no email topic of the catalogue',
    ],
    [
      'a topic that is not a string',
      { channel: 'email', topic: 42 },
      ctx,
      'INVALID_FIELD',
      'properties.topic must be a string; got number',
    ],
  ])('refuses %s (never widened to the whole channel)', (_, properties, context, code, reason) => {
    expect(rejected(mapSegmentCall('track', track(properties), context))).toEqual([{ code, reason }]);
  });
});

describe('Segment identify traits per topic (`<channel>_topics`)', () => {
  const identify = (traits: Record<string, unknown>) => ({
    userId: 'user-42',
    messageId: 'msg-identify-topics',
    traits,
  });
  const SNAPSHOT = { strength: 'snapshot', kind: 'identify_traits' };

  it('maps each topic to a snapshot topic choice with its own id, next to the channel traits', () => {
    const all = facts(
      mapSegmentCall(
        'identify',
        identify({
          email_subscribed_status: true,
          email_topics: { newsletter: true, promotions: 'unsubscribed' },
          push_topics: { 'product-updates': false },
        }),
        ctx,
      ),
    );
    expect(all.slice(1).map((f) => [f.source.providerEventRef, f.preferenceChange])).toEqual([
      [
        derivedEventRef('msg-identify-topics', 'email_subscribed_status'),
        {
          channel: 'email',
          newStatus: 'subscribed',
          sourceOfChange: 'Segment Identify Traits',
          evidence: SNAPSHOT,
        },
      ],
      [
        derivedEventRef('msg-identify-topics', 'email_topics.newsletter'),
        {
          channel: 'email',
          newStatus: 'subscribed',
          sourceOfChange: 'Segment Identify Traits',
          topic: 'newsletter',
          evidence: SNAPSHOT,
        },
      ],
      [
        derivedEventRef('msg-identify-topics', 'email_topics.promotions'),
        {
          channel: 'email',
          newStatus: 'unsubscribed',
          sourceOfChange: 'Segment Identify Traits',
          topic: 'promotions',
          evidence: SNAPSHOT,
        },
      ],
      [
        derivedEventRef('msg-identify-topics', 'push_topics.product-updates'),
        {
          channel: 'push',
          newStatus: 'unsubscribed',
          sourceOfChange: 'Segment Identify Traits',
          topic: 'product-updates',
          evidence: SNAPSHOT,
        },
      ],
    ]);
  });

  it.each<[Record<string, unknown>, string, string]>([
    [{ email_topics: ['newsletter'] }, 'INVALID_FIELD', 'traits.email_topics must be an object; got array'],
    [
      { sms_topics: { newsletter: true } },
      'UNKNOWN_TOPIC',
      'traits.sms_topics: "newsletter" is no sms topic of the catalogue',
    ],
    [
      { email_topics: { newsletter: 'yes' } },
      'INVALID_FIELD',
      'traits.email_topics.newsletter must be true, false, "subscribed" or "unsubscribed"; got "yes"',
    ],
  ])('refuses %j', (traits, code, reason) => {
    expect(rejected(mapSegmentCall('identify', identify(traits), ctx))).toEqual([{ code, reason }]);
  });
});

describe('Mailchimp profile webhook: interests → topics', () => {
  const firedAt = '2009-03-26 21:31:21';
  const profile = (extra: string) =>
    parseFormBody(
      'type=profile&fired_at=2009-03-26+21%3A31%3A21&data%5Bid%5D=8a25ff1d98&data%5Blist_id%5D=a6b5da1054' +
        '&data%5Bemail%5D=api%40mailchimp.com&data%5Bemail_type%5D=html&data%5Bmerges%5D%5BFNAME%5D=Mailchimp' +
        extra,
    );
  const topicChoices = (results: readonly MapResult[]) =>
    facts(results)
      .filter((f) => f.kind === 'preference_change')
      .map((f) => [f.source.providerEventRef, f.preferenceChange?.topic, f.preferenceChange?.newStatus]);
  const ref = mailchimpEventRef('profile', firedAt, 'api@mailchimp.com', 'a6b5da1054');

  it.each<[string, string, readonly [string, string][]]>([
    [
      'INTERESTS naming one catalogue interest (a comma inside a name escaped)',
      '&data%5Bmerges%5D%5BINTERESTS%5D=Offers%5C%2C+and+promotions%2CBeta+testers',
      [
        ['newsletter', 'unsubscribed'],
        ['promotions', 'subscribed'],
      ],
    ],
    [
      'GROUPINGS, one list per interest category',
      '&data%5Bmerges%5D%5BGROUPINGS%5D%5B0%5D%5Bid%5D=1&data%5Bmerges%5D%5BGROUPINGS%5D%5B0%5D%5Bgroups%5D=Weekly+newsletter' +
        '&data%5Bmerges%5D%5BGROUPINGS%5D%5B1%5D%5Bid%5D=2&data%5Bmerges%5D%5BGROUPINGS%5D%5B1%5D%5Bgroups%5D=',
      [
        ['newsletter', 'subscribed'],
        ['promotions', 'unsubscribed'],
      ],
    ],
    [
      'an empty INTERESTS: in none',
      '&data%5Bmerges%5D%5BINTERESTS%5D=',
      [
        ['newsletter', 'unsubscribed'],
        ['promotions', 'unsubscribed'],
      ],
    ],
    ['no interest fields: nothing said about topics', '', []],
  ])('%s', (_, extra, expected) => {
    const results = mapMailchimpWebhook(profile(extra), ctx);
    expect(facts(results)[0]?.kind).toBe('identify');
    expect(topicChoices(results)).toEqual(
      expected.map(([topic, status]) => [derivedEventRef(ref, `interest:${topic}`), topic, status]),
    );
  });

  it('marks each interest choice as a snapshot from the provider, on email, at fired_at', () => {
    const [, first] = facts(
      mapMailchimpWebhook(profile('&data%5Bmerges%5D%5BINTERESTS%5D=Weekly+newsletter'), ctx),
    );
    expect(first).toMatchObject({
      occurredAt: Date.UTC(2009, 2, 26, 21, 31, 21),
      occurredAtPrecision: 'second',
      identifiers: { email: 'api@mailchimp.com' },
      preferenceChange: {
        channel: 'email',
        newStatus: 'subscribed',
        topic: 'newsletter',
        sourceOfChange: 'Mailchimp Profile Interests',
        evidence: { strength: 'snapshot', kind: 'provider_webhook' },
      },
    });
  });

  it('reads interest names without a catalogue too, and says nothing when none is sent', () => {
    expect(mailchimpInterestNames(profile('&data%5Bmerges%5D%5BINTERESTS%5D=A%2C+B%5C%2CC'))).toEqual(
      new Set(['A', 'B,C']),
    );
    expect(mailchimpInterestNames(profile(''))).toBeUndefined();
    expect(
      topicChoices(mapMailchimpWebhook(profile('&data%5Bmerges%5D%5BINTERESTS%5D=A'), noCatalogue)),
    ).toEqual([]);
  });
});

describe('signed API: topic and proof of consent', () => {
  const body = {
    externalId: '7f9c2a4e-1b2d-4c3e-9f00-1234567890ab',
    channel: 'email',
    newStatus: 'subscribed',
    sourceOfChange: 'Checkout Form',
    occurredAt: '2024-03-01T12:00:00Z',
    requestId: 'req-topic-1',
  };
  const change = (over: Record<string, unknown>) =>
    facts(mapOptstreamPreferenceRequest({ ...body, ...over }, ctx))[0]?.preferenceChange;

  it('carries the topic, the evidence (strength from its kind) and the sealed-later IP and user agent', () => {
    expect(
      change({
        topic: 'promotions',
        evidence: {
          kind: 'signup_form',
          collectionPoint: 'checkout/step-3',
          consentTextId: 'promo-optin',
          consentTextVersion: 'v4',
          actor: 'person',
          legalBasis: 'consent',
          jurisdiction: 'EU',
        },
        ipAddress: '2001:db8::1',
        userAgent: 'Mozilla/5.0',
      }),
    ).toEqual({
      channel: 'email',
      newStatus: 'subscribed',
      sourceOfChange: 'Checkout Form',
      topic: 'promotions',
      evidence: {
        strength: 'explicit',
        trust: 'server',
        kind: 'signup_form',
        collectionPoint: 'checkout/step-3',
        consentTextId: 'promo-optin',
        consentTextVersion: 'v4',
        actor: 'person',
        legalBasis: 'consent',
        jurisdiction: 'EU',
      },
      ipAddress: '2001:db8::1',
      userAgent: 'Mozilla/5.0',
    });
  });

  it.each(['192.0.2.1', '::1', '2001:db8::1', '::ffff:192.0.2.1'])(
    'accepts the IP address %s',
    (ipAddress) => {
      expect(change({ ipAddress })?.ipAddress).toBe(ipAddress);
    },
  );

  it.each<[Record<string, unknown>, string]>([
    [{ kind: 'crm_sync', actor: 'system:salesforce' }, 'snapshot'],
    [{ kind: 'csv_backfill' }, 'snapshot'],
    [{ kind: 'preference_center', actor: 'agent:support-17' }, 'explicit'],
    [{}, 'explicit'],
  ])('evidence %j is %s', (evidence, strength) => {
    expect(change({ evidence })?.evidence).toMatchObject({ strength, kind: evidence['kind'] ?? 'api_call' });
  });

  it.each<[Record<string, unknown>, string, string]>([
    [
      { topic: 'newsletter', channel: 'sms' },
      'UNKNOWN_TOPIC',
      'topic "newsletter" is no sms topic of the catalogue',
    ],
    [{ evidence: 'signup' }, 'INVALID_FIELD', 'evidence must be an object; got string'],
    [
      { evidence: { ip: '1.2.3.4' } },
      'INVALID_FIELD',
      'unknown field evidence.ip; allowed: kind, collectionPoint, consentTextId, consentTextVersion, actor, legalBasis, jurisdiction',
    ],
    [
      { evidence: { kind: 'unknown' } },
      'INVALID_FIELD',
      'evidence.kind must be one of unsubscribe_link, group_unsubscribe, group_resubscribe, spam_report, sms_keyword, preference_center, signup_form, double_opt_in_confirmation, push_permission, api_call, identify_traits, csv_backfill, crm_sync, provider_webhook; got "unknown"',
    ],
    [
      { evidence: { actor: 'bob' } },
      'INVALID_FIELD',
      'evidence.actor must be person, agent:<id> or system:<name>',
    ],
    [
      { evidence: { jurisdiction: 'europe' } },
      'INVALID_FIELD',
      'evidence.jurisdiction must be like EU, FR or US-CA',
    ],
    [
      { evidence: { legalBasis: 'vibes' } },
      'INVALID_FIELD',
      'evidence.legalBasis must be one of consent, legitimate_interest, contract, legal_obligation; got "vibes"',
    ],
    [{ ipAddress: '999.1.1.1' }, 'INVALID_FIELD', 'ipAddress must be an IPv4 or IPv6 address'],
    [{ ipAddress: '2001:db8::g' }, 'INVALID_FIELD', 'ipAddress must be an IPv4 or IPv6 address'],
    [{ ipAddress: '1:2:3' }, 'INVALID_FIELD', 'ipAddress must be an IPv4 or IPv6 address'],
    [{ userAgent: 'x'.repeat(513) }, 'INVALID_FIELD', 'userAgent must be at most 512 characters; got 513'],
  ])('refuses %j', (over, code, reason) => {
    expect(rejected(mapOptstreamPreferenceRequest({ ...body, ...over }, ctx))).toEqual([{ code, reason }]);
  });
});
