import { randomBytes } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { OPTSTREAM_EVENT_NAMESPACE } from '@optstream/ingestion-domain';
import { GatewayHarness } from './gateway-harness';

jest.setTimeout(60_000);

const eventId = (system: string, ref: string) => uuidv5(`${system}:${ref}`, OPTSTREAM_EVENT_NAMESPACE);
const unique = () => randomBytes(5).toString('hex');

/**
 * Topics through the real gateway, one source each, with the versioned catalogue
 * (libs/shared/consent-topics/consent-topics.json): what lands on contact.inbound.v1 names the topic and
 * its evidence (docs/consent-model.md, docs/ingestion-gateway.md "Topics").
 */
describe('ingestion-gateway: consent topics from every source, against the real stack', () => {
  const h = new GatewayHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('SendGrid: group_unsubscribe of unsubscribe group 42 is the newsletter topic, to the second', async () => {
    const id = unique();
    const body = JSON.stringify([
      {
        email: `group.${id}@example.com`,
        timestamp: 1_767_225_600,
        event: 'group_unsubscribe',
        asm_group_id: 42,
        sg_event_id: `group-${id}`,
      },
    ]);
    const response = await h.post('/webhooks/sendgrid', body, h.sendgridHeaders(body));
    expect(response.json()).toEqual({ accepted: 1, ignored: 0, deadLettered: 0 });
    const [fact] = await h.inboundFacts([eventId('sendgrid', `group-${id}`)]);
    expect(fact?.occurredAtPrecision).toBe('second');
    expect(fact?.preferenceChange).toMatchObject({
      channel: 'email',
      newStatus: 'unsubscribed',
      topic: 'newsletter',
      evidence: { strength: 'explicit', kind: 'group_unsubscribe', trust: 'server' },
    });
  });

  it('Segment: a track names its topic; identify topic traits are snapshots; an unknown topic is a 400', async () => {
    const userId = `user-${unique()}`;
    const track = JSON.stringify({
      type: 'track',
      event: 'Marketing Preference Updated',
      userId,
      messageId: `${userId}-track`,
      properties: {
        channel: 'sms',
        topic: 'promotions',
        new_status: 'unsubscribed',
        source_of_change: 'Preference Center',
      },
    });
    expect((await h.post('/v1/track', track, h.segmentHeaders())).status).toBe(200);
    const identify = JSON.stringify({
      type: 'identify',
      userId,
      messageId: `${userId}-identify`,
      traits: { email_topics: { newsletter: true } },
    });
    expect((await h.post('/v1/identify', identify, h.segmentHeaders())).status).toBe(200);
    const [tracked, trait] = await h.inboundFacts([
      eventId('segment', `${userId}-track`),
      eventId('segment', `${userId}-identify#email_topics.newsletter`),
    ]);
    expect(tracked?.preferenceChange).toMatchObject({
      channel: 'sms',
      newStatus: 'unsubscribed',
      topic: 'promotions',
    });
    expect(trait?.preferenceChange).toMatchObject({
      channel: 'email',
      newStatus: 'subscribed',
      topic: 'newsletter',
      evidence: { strength: 'snapshot', kind: 'identify_traits' },
    });

    const unknown = await h.post(
      '/v1/track',
      track.replace('"promotions"', '"newsletter"'),
      h.segmentHeaders(),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.json()).toEqual({
      error: {
        code: 'UNKNOWN_TOPIC',
        reason: 'properties.topic "newsletter" is no sms topic of the catalogue',
      },
    });
  });

  it('Mailchimp: a profile update names the interests the member is in; each catalogue interest becomes its topic', async () => {
    const id = unique();
    const email = `mcp.${id}@example.com`;
    const form = new URLSearchParams({
      type: 'profile',
      fired_at: '2026-01-01 10:00:00',
      'data[email]': email,
      'data[list_id]': 'a1b2c3',
      'data[id]': id,
      'data[merges][INTERESTS]': 'Weekly newsletter, Beta testers',
    }).toString();
    const response = await h.post(`/webhooks/mailchimp?key=${h.mailchimpSecret}`, form, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(response.json()).toEqual({ accepted: 3, ignored: 0, deadLettered: 0 });
    const messages = await h.inbound.until((m) => (m.value?.toString('latin1') ?? '').includes(email), 3);
    const facts = await Promise.all(messages.map((m) => h.decodeInbound(m)));
    const topics = facts
      .flatMap((f) => (f.preferenceChange ? [f.preferenceChange] : []))
      .map((c) => [c.topic, c.newStatus, c.evidence?.strength, c.evidence?.kind])
      .sort();
    expect(topics).toEqual([
      ['newsletter', 'subscribed', 'snapshot', 'provider_webhook'],
      ['promotions', 'unsubscribed', 'snapshot', 'provider_webhook'],
    ]);
    expect(facts.filter((f) => f.kind === 'identify')).toHaveLength(1);
  });

  it('signed API: topic and proof of consent travel on the inbound fact; an unknown topic is a 400', async () => {
    const requestId = `req-${unique()}`;
    const request = {
      email: `proof.${requestId}@example.com`,
      channel: 'email',
      newStatus: 'subscribed',
      sourceOfChange: 'Checkout Form',
      occurredAt: '2026-01-03T00:00:00Z',
      requestId,
      topic: 'product-updates',
      evidence: {
        kind: 'signup_form',
        collectionPoint: 'checkout',
        consentTextId: 'updates-optin',
        consentTextVersion: '3',
        actor: 'person',
        legalBasis: 'consent',
        jurisdiction: 'FR',
      },
      ipAddress: '192.0.2.10',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    };
    const body = JSON.stringify(request);
    const accepted = await h.post('/v1/preferences', body, h.apiHeaders(body));
    expect(accepted.status).toBe(202);
    const [fact] = await h.inboundFacts([(accepted.json() as { eventId: string }).eventId]);
    // Avro records decode as classes: compare their fields.
    expect({ ...fact?.preferenceChange, evidence: { ...fact?.preferenceChange?.evidence } }).toEqual({
      channel: 'email',
      newStatus: 'subscribed',
      sourceOfChange: 'Checkout Form',
      topic: 'product-updates',
      evidence: { strength: 'explicit', trust: 'server', ...request.evidence },
      pendingExpiresAt: null,
      ipAddress: '192.0.2.10',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    });

    const unknownBody = JSON.stringify({
      ...request,
      requestId: `${requestId}-2`,
      topic: 'promotions',
      channel: 'push',
    });
    const refused = await h.post('/v1/preferences', unknownBody, h.apiHeaders(unknownBody));
    expect(refused.status).toBe(400);
    expect(refused.json()).toEqual({
      error: { code: 'UNKNOWN_TOPIC', reason: 'topic "promotions" is no push topic of the catalogue' },
    });
  });
});
