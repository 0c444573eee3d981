import { randomBytes } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { ContactInbound } from '@optstream/contracts';
import { OPTSTREAM_EVENT_NAMESPACE } from '@optstream/ingestion-domain';
import { waitFor } from '@optstream/testing';
import { GatewayHarness, SEGMENT_WRITE_KEY } from './gateway-harness';

jest.setTimeout(60_000);

const eventId = (system: string, ref: string) => uuidv5(`${system}:${ref}`, OPTSTREAM_EVENT_NAMESPACE);
const unique = () => randomBytes(5).toString('hex');

describe('ingestion-gateway endpoints, signed the way each provider signs, against the real stack', () => {
  const h = new GatewayHarness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('SendGrid: unsubscribe and spam report become email opt-outs; other events are counted; a bad event is dead-lettered', async () => {
    const id = unique();
    const events = [
      {
        email: ` Jane.${id}@Example.com `,
        timestamp: 1_767_225_600,
        event: 'unsubscribe',
        sg_event_id: `unsub-${id}`,
      },
      {
        email: `spam.${id}@example.com`,
        timestamp: 1_767_225_601,
        event: 'spamreport',
        sg_event_id: `spam-${id}`,
      },
      {
        email: `d.${id}@example.com`,
        timestamp: 1_767_225_602,
        event: 'delivered',
        sg_event_id: `deliv-${id}`,
      },
      { email: 'not-an-email', timestamp: 1_767_225_603, event: 'unsubscribe', sg_event_id: `bad-${id}` },
    ];
    const body = `${JSON.stringify(events)}\r\n`;
    const response = await h.post('/webhooks/sendgrid', body, h.sendgridHeaders(body));
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ accepted: 2, ignored: 1, deadLettered: 1 });

    const [unsubscribe, spam] = await h.inboundFacts([
      eventId('sendgrid', `unsub-${id}`),
      eventId('sendgrid', `spam-${id}`),
    ]);
    expect(unsubscribe).toEqual<ContactInbound>({
      eventId: eventId('sendgrid', `unsub-${id}`),
      source: { system: 'sendgrid', providerEventRef: `unsub-${id}` },
      occurredAt: 1_767_225_600_000,
      receivedAt: expect.any(Number),
      identifiers: { externalId: null, email: `jane.${id}@example.com`, phone: null, anonymousId: null },
      kind: 'preference_change',
      preferenceChange: {
        channel: 'email',
        newStatus: 'unsubscribed',
        sourceOfChange: 'Email Unsubscribe Link',
        topic: null,
        evidence: {
          strength: 'explicit',
          kind: 'unsubscribe_link',
          trust: 'server',
          collectionPoint: null,
          consentTextId: null,
          consentTextVersion: null,
          actor: null,
          legalBasis: null,
          jurisdiction: null,
        },
        pendingExpiresAt: null,
        ipAddress: null,
        userAgent: null,
      },
      identify: null,
      pushPermissionChange: null,
      sourceTrust: 'server',
      occurredAtPrecision: 'second',
      originalOccurredAt: null,
    });
    expect(spam?.preferenceChange).toMatchObject({
      channel: 'email',
      newStatus: 'unsubscribed',
      sourceOfChange: 'Spam Report',
      topic: null,
      evidence: { strength: 'explicit', kind: 'spam_report' },
    });

    const [letterMessage] = await h.deadLetters.until((m) =>
      (m.value?.toString('latin1') ?? '').includes(`bad-${id}`),
    );
    const letter = await h.decodeDeadLetter(letterMessage!);
    expect(letter.errorCode).toBe('INVALID_EMAIL');
    // The item is kept for the operator, its personal values are not (docs/privacy.md).
    expect(JSON.parse(letter.originalValue!.toString())).toEqual({ ...events[3], email: '[redacted]' });
    expect(letter.redacted).toContain('keyed hashes');
    expect(letter.originalTopic).toBeNull();
  });

  it('SendGrid: a forged or stale signature is refused and nothing is published', async () => {
    const id = unique();
    const forged = JSON.stringify([
      {
        email: `forged.${id}@example.com`,
        timestamp: 1_767_225_600,
        event: 'unsubscribe',
        sg_event_id: `f-${id}`,
      },
    ]);
    const headers = h.sendgridHeaders(forged.replace('unsubscribe', 'group_resubscribe'));
    const bad = await h.post('/webhooks/sendgrid', forged, headers);
    expect(bad.status).toBe(403);
    expect(bad.json()).toEqual({ error: { code: 'SIGNATURE_MISMATCH', reason: expect.any(String) } });
    const stale = await h.post(
      '/webhooks/sendgrid',
      forged,
      h.sendgridHeaders(forged, Math.floor(Date.now() / 1000) - 3600),
    );
    expect(stale.status).toBe(403);
    expect((stale.json() as { error: { code: string } }).error.code).toBe('STALE_TIMESTAMP');
    const unsigned = await h.post('/webhooks/sendgrid', forged, { 'content-type': 'application/json' });
    expect(unsigned.status).toBe(401);

    // A genuine event for the same address lands on the same partition after the refused ones: had
    // they been published, they would be before it.
    const genuine = JSON.stringify([
      {
        email: `forged.${id}@example.com`,
        timestamp: 1_767_225_700,
        event: 'unsubscribe',
        sg_event_id: `g-${id}`,
      },
    ]);
    expect((await h.post('/webhooks/sendgrid', genuine, h.sendgridHeaders(genuine))).status).toBe(200);
    await h.inboundFacts([eventId('sendgrid', `g-${id}`)]);
    expect(
      h.inbound.messages.filter(
        (m) => m.headers?.['optstream-event-id']?.toString() === eventId('sendgrid', `f-${id}`),
      ),
    ).toHaveLength(0);
  });

  it('Twilio: STOP is an SMS opt-out for the E.164 sender, answered with TwiML', async () => {
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const params = {
      MessageSid: sid,
      AccountSid: 'AC123',
      From: '+14155550123',
      To: '+14155559999',
      Body: ' stop ',
      OptOutType: 'STOP',
    };
    const body = new URLSearchParams(params).toString();
    const response = await h.post('/webhooks/twilio/sms', body, h.twilioHeaders(params));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(response.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    const [fact] = await h.inboundFacts([eventId('twilio', sid)]);
    expect(fact?.identifiers).toEqual({
      externalId: null,
      email: null,
      phone: '+14155550123',
      anonymousId: null,
    });
    expect(fact?.preferenceChange).toMatchObject({
      channel: 'sms',
      newStatus: 'unsubscribed',
      sourceOfChange: 'SMS STOP Reply',
      evidence: { strength: 'explicit', kind: 'sms_keyword' },
    });
    expect(fact?.source).toEqual({ system: 'twilio', providerEventRef: sid });

    const forged = await h.post('/webhooks/twilio/sms', body, {
      ...h.twilioHeaders({ ...params, Body: 'START' }),
    });
    expect(forged.status).toBe(403);
  });

  it('Twilio: a signed message the gateway cannot map is dead-lettered without the sender, recipient or text', async () => {
    const sid = `SMnot-hex-${randomBytes(4).toString('hex')}`;
    const params = {
      MessageSid: sid,
      AccountSid: 'AC123',
      From: '+14155550187',
      To: '+14155559999',
      Body: 'STOP',
      OptOutType: 'STOP',
      FromCity: 'SAN FRANCISCO',
    };
    const body = new URLSearchParams(params).toString();
    const response = await h.post('/webhooks/twilio/sms', body, h.twilioHeaders(params));
    expect(response.status).toBe(200);
    const [letterMessage] = await h.deadLetters.until((m) =>
      (m.value?.toString('latin1') ?? '').includes(sid),
    );
    const letter = await h.decodeDeadLetter(letterMessage!);
    expect(letter.errorCode).toBe('INVALID_FIELD');
    const text = `${letter.originalValue?.toString()} ${letter.reason}`;
    for (const personal of ['4155550187', '4155559999', 'SAN FRANCISCO', 'SAN+FRANCISCO']) {
      expect(text).not.toContain(personal);
    }
    // What the operator needs to see stays: which message, and that a sender was there.
    const kept = new URLSearchParams(letter.originalValue!.toString());
    expect(kept.get('MessageSid')).toBe(sid);
    expect(kept.get('From')).toMatch(/^\[phone:.+\]$/);
    expect(kept.get('Body')).toBe('[redacted]');
    expect(letter.redacted).toContain('keyed hashes');
  });

  it('Mailchimp: answers the validation ping, takes unsubscribes with the URL secret, refuses a wrong one', async () => {
    const key = h.mailchimpSecret;
    expect((await fetch(h.url(`/webhooks/mailchimp?key=${key}`))).status).toBe(200);
    const id = unique();
    const form = new URLSearchParams({
      type: 'unsubscribe',
      fired_at: '2026-01-01 00:00:00',
      'data[email]': `mc.${id}@example.com`,
      'data[list_id]': 'a1b2c3',
      'data[id]': id,
    }).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await h.post(`/webhooks/mailchimp?key=wrong-${key}`, form, headers)).status).toBe(403);
    expect((await h.post('/webhooks/mailchimp', form, headers)).status).toBe(401);
    const ok = await h.post(`/webhooks/mailchimp?key=${key}`, form, headers);
    expect(ok.status).toBe(200);
    const [message] = await h.inbound.until((m) =>
      (m.value?.toString('latin1') ?? '').includes(`mc.${id}@example.com`),
    );
    const fact = await h.decodeInbound(message!);
    expect(fact.occurredAt).toBe(Date.UTC(2026, 0, 1));
    expect(fact.preferenceChange?.newStatus).toBe('unsubscribed');
    expect(fact.source.system).toBe('mailchimp');
  });

  it('Segment: track "Marketing Preference Updated" maps one to one; the source name rides in a header', async () => {
    const messageId = `msg-${unique()}`;
    const body = JSON.stringify({
      type: 'track',
      event: 'Marketing Preference Updated',
      userId: 'c0a80121-7f3e-4b8a-9d2c-1e2f3a4b5c6d',
      messageId,
      timestamp: '2026-01-02T03:04:05.000Z',
      properties: {
        channel: 'push',
        new_status: 'unsubscribed',
        source_of_change: 'Mobile App Settings',
        timestamp: '2026-01-02T03:04:05.000Z',
      },
    });
    const response = await h.post('/v1/track', body, h.segmentHeaders());
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ success: true });
    const [message] = await h.inbound.until(
      (m) => m.headers?.['optstream-event-id']?.toString() === eventId('segment', messageId),
    );
    expect(message?.headers?.['optstream-source-name']?.toString()).toBe('mobile-app');
    const fact = await h.decodeInbound(message!);
    expect(fact.identifiers.externalId).toBe('c0a80121-7f3e-4b8a-9d2c-1e2f3a4b5c6d');
    expect(fact.occurredAt).toBe(Date.parse('2026-01-02T03:04:05.000Z'));
    expect(fact.preferenceChange).toMatchObject({
      channel: 'push',
      newStatus: 'unsubscribed',
      sourceOfChange: 'Mobile App Settings',
    });
    // mobile-app is not declared in SEGMENT_SERVER_SOURCES: its write key is public.
    expect(fact.sourceTrust).toBe('client');
    // The message key is a keyed hash, never the identifier itself.
    expect(message?.key?.toString()).not.toContain('c0a80121');
  });

  it('Segment: unknown write keys get 401, bad fields a precise 400, and a batch dead-letters only its bad item', async () => {
    const track = JSON.stringify({
      type: 'track',
      event: 'Marketing Preference Updated',
      userId: 'u-1',
      messageId: `m-${unique()}`,
      properties: { channel: 'fax', new_status: 'unsubscribed' },
    });
    expect((await h.post('/v1/track', track, h.segmentHeaders('wk_unknown'))).status).toBe(401);
    const invalid = await h.post('/v1/track', track, h.segmentHeaders());
    expect(invalid.status).toBe(400);
    expect(invalid.json()).toEqual({
      error: { code: 'INVALID_FIELD', reason: expect.stringContaining('fax') },
    });

    const good = `m-${unique()}`;
    const batch = JSON.stringify({
      writeKey: SEGMENT_WRITE_KEY,
      batch: [
        {
          type: 'identify',
          userId: `user-${good}`,
          messageId: `${good}-identify`,
          traits: { email: `seg.${good}@example.com` },
          timestamp: '2026-01-01T00:00:00Z',
        },
        {
          type: 'track',
          event: 'Marketing Preference Updated',
          userId: 'u-2',
          messageId: `${good}-bad`,
          properties: { channel: 'fax', new_status: 'x' },
        },
        { type: 'page', userId: 'u-3', messageId: `${good}-page`, name: 'Home' },
      ],
    });
    const response = await h.post('/v1/batch', batch, { 'content-type': 'application/json' });
    expect(response.status).toBe(200);
    const [identify] = await h.inboundFacts([eventId('segment', `${good}-identify`)]);
    expect(identify?.kind).toBe('identify');
    expect(identify?.identifiers.email).toBe(`seg.${good}@example.com`);
    const [letter] = await h.deadLetters.until((m) =>
      (m.value?.toString('latin1') ?? '').includes(`${good}-bad`),
    );
    expect((await h.decodeDeadLetter(letter!)).errorCode).toBe('INVALID_FIELD');
  });

  it('signed API: 202 after the change is durable; tampered, stale or unsigned requests are refused', async () => {
    const requestId = `req-${unique()}`;
    const body = JSON.stringify({
      email: `api.${requestId}@example.com`,
      channel: 'email',
      newStatus: 'subscribed',
      sourceOfChange: 'Preference Center',
      occurredAt: '2026-01-03T00:00:00Z',
      requestId,
    });
    const headers = h.apiHeaders(body);
    const accepted = await h.post('/v1/preferences', body, headers);
    expect(accepted.status).toBe(202);
    const { eventId: id, durability } = accepted.json() as { eventId: string; durability: string };
    expect(durability).toBe('published');
    const [fact] = await h.inboundFacts([id]);
    expect(fact?.source.system).toBe('optstream_api');
    expect(fact?.preferenceChange?.sourceOfChange).toBe('Preference Center');

    expect(
      (await h.post('/v1/preferences', body.replace('subscribed', 'unsubscribed'), headers)).status,
    ).toBe(403);
    const stale = await h.post(
      '/v1/preferences',
      body,
      h.apiHeaders(body, 'req-old', Math.floor(Date.now() / 1000) - 301),
    );
    expect(stale.status).toBe(403);
    expect((await h.post('/v1/preferences', body, { 'content-type': 'application/json' })).status).toBe(401);
  });

  it('bad input gets a documented 4xx: wrong content type, invalid JSON, oversize body', async () => {
    const body = '{"not json';
    const invalid = await h.post('/v1/track', body, h.segmentHeaders());
    expect(invalid.status).toBe(400);
    expect((invalid.json() as { error: { code: string } }).error.code).toBe('INVALID_JSON');
    const wrongType = await h.post('/v1/track', '{}', {
      ...h.segmentHeaders(),
      'content-type': 'application/xml',
    });
    expect(wrongType.status).toBe(415);
    const big = JSON.stringify({
      type: 'track',
      userId: 'u',
      event: 'x',
      properties: { pad: 'x'.repeat(40_000) },
    });
    const tooBig = await h.post('/v1/track', big, h.segmentHeaders());
    expect(tooBig.status).toBe(413);
    expect((tooBig.json() as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    const huge = await h.post('/v1/batch', 'x'.repeat(2 * 1024 * 1024), h.segmentHeaders());
    expect(huge.status).toBe(413);
    expect(huge.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', reason: expect.any(String) } });
  });

  it('exposes health and Prometheus metrics per endpoint and outcome', async () => {
    expect((await fetch(h.url('/health/live'))).status).toBe(200);
    expect((await fetch(h.url('/health/ready'))).status).toBe(200);
    const metrics = await (await fetch(h.url('/metrics'))).text();
    expect(metrics).toMatch(
      /webhook_handler_invocations_total\{endpoint="sendgrid",outcome="accepted"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(
      /webhook_handler_invocations_total\{endpoint="sendgrid",outcome="unauthorized"[^}]*\} [1-9]/,
    );
    expect(metrics).toContain('ingestion_publish_seconds_bucket');
    expect(metrics).toMatch(/ingestion_spool_depth\{[^}]*\} \d+/);
    // At rest the spool is empty. A fact Kafka was slow to acknowledge (seconds, on a loaded machine) is
    // spooled and drained soon after: wait for the drain rather than read the gauge mid-way.
    await waitFor(
      async () => /ingestion_spool_depth\{[^}]*\} 0\n/.test(await (await fetch(h.url('/metrics'))).text()),
      {
        description: 'an empty spool',
      },
    );
  });
});
