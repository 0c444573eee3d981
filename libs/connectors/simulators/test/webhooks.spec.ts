import { createHmac, createPublicKey, verify } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  createSendGridSigningKeys,
  mailchimpWebhookForm,
  segmentBasicAuth,
  sendGridEventBody,
  signSendGridEvents,
  signTwilioRequest,
  WebhookSender,
} from '../src';

const VECTOR_KEY =
  'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==';
const VECTOR_SIGNATURE =
  'MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=';
const VECTOR_EVENT = {
  email: 'hello@world.com',
  event: 'dropped',
  reason: 'Bounced Address',
  sg_event_id: 'ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA',
  sg_message_id: 'LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0',
  'smtp-id': '<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>',
  timestamp: 1600112492,
};

const verifySendGrid = (publicKeyBase64: string, timestamp: string, body: string, signature: string) =>
  verify(
    'sha256',
    Buffer.from(timestamp + body),
    createPublicKey({ key: Buffer.from(publicKeyBase64, 'base64'), format: 'der', type: 'spki' }),
    Buffer.from(signature, 'base64'),
  );

describe('SendGrid signing', () => {
  it('builds the body of the SDK test vector byte for byte (it verifies against the vector signature)', () => {
    const body = sendGridEventBody([VECTOR_EVENT]);
    expect(body).toBe(`${JSON.stringify([VECTOR_EVENT])}\r\n`);
    expect(verifySendGrid(VECTOR_KEY, '1600112502', body, VECTOR_SIGNATURE)).toBe(true);
    expect(verifySendGrid(VECTOR_KEY, '1600112502', body.trimEnd(), VECTOR_SIGNATURE)).toBe(false);
  });

  it('signs timestamp + body with a fresh P-256 key; events are CRLF-separated with a trailing CRLF', () => {
    const keys = createSendGridSigningKeys();
    expect(keys.publicKeyBase64.startsWith('MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE')).toBe(true);
    const { body, headers } = signSendGridEvents([{ a: 1 }, { b: 2 }], keys.privateKey, 1700000000);
    expect(body).toBe('[{"a":1},\r\n{"b":2}]\r\n');
    expect(JSON.parse(body)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(headers['X-Twilio-Email-Event-Webhook-Timestamp']).toBe('1700000000');
    const signature = headers['X-Twilio-Email-Event-Webhook-Signature'] ?? '';
    expect(signature.startsWith('MEU') || signature.startsWith('MEQ') || signature.startsWith('MEY')).toBe(
      true,
    );
    expect(verifySendGrid(keys.publicKeyBase64, '1700000000', body, signature)).toBe(true);
  });
});

describe('Twilio, Mailchimp and Segment helpers', () => {
  it('X-Twilio-Signature matches the providers.md vector', () => {
    const params = {
      CallSid: 'CA1234567890ABCDE',
      Caller: '+12349013030',
      Digits: '1234',
      From: '+12349013030',
      To: '+18005551212',
    };
    expect(signTwilioRequest('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params)).toBe(
      '0/KCTR6DLpKmkAf8muzZqo1nDgQ=',
    );
  });

  it('Mailchimp form uses PHP-style keys and fired_at as YYYY-MM-DD HH:MM:SS', () => {
    const form = mailchimpWebhookForm(
      'unsubscribe',
      {
        action: 'unsub',
        email: 'a@example.com',
        list_id: 'l1',
        merges: { EMAIL: 'a@example.com', FNAME: 'A' },
      },
      new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
    );
    const fields = Object.fromEntries(new URLSearchParams(form));
    expect(fields).toEqual({
      type: 'unsubscribe',
      fired_at: '2026-01-02 03:04:05',
      'data[action]': 'unsub',
      'data[email]': 'a@example.com',
      'data[list_id]': 'l1',
      'data[merges][EMAIL]': 'a@example.com',
      'data[merges][FNAME]': 'A',
    });
    expect(form).toContain('data%5Bmerges%5D%5BEMAIL%5D=a%40example.com');
  });

  it('Segment Basic auth is base64(writeKey + ":")', () => {
    expect(segmentBasicAuth('wk')).toBe(`Basic ${Buffer.from('wk:').toString('base64')}`);
  });
});

interface Received {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('WebhookSender against a stand-in gateway', () => {
  let gateway: FastifyInstance;
  let gatewayUrl = '';
  const received: Received[] = [];
  beforeAll(async () => {
    gateway = Fastify();
    gateway.removeAllContentTypeParsers();
    gateway.addContentTypeParser('*', { parseAs: 'string' }, (_r, body, done) => done(null, body));
    gateway.all('/*', async (request) => {
      received.push({ url: request.url, headers: request.headers, body: String(request.body ?? '') });
      return { ok: true };
    });
    gatewayUrl = await gateway.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => gateway.close());
  beforeEach(() => (received.length = 0));

  it('sendgrid(): posts the signed raw body to /webhooks/sendgrid', async () => {
    const keys = createSendGridSigningKeys();
    const sender = new WebhookSender({ gatewayUrl, sendgridPrivateKey: keys.privateKey });
    const result = await sender.sendgrid([
      { email: 'a@example.com', event: 'unsubscribe', sg_event_id: 'e1', timestamp: 1 },
    ]);
    expect(result).toEqual({ status: 200, body: { ok: true } });
    const [request] = received;
    expect(request?.url).toBe('/webhooks/sendgrid');
    expect(request?.body.endsWith('\r\n')).toBe(true);
    const ts = String(request?.headers['x-twilio-email-event-webhook-timestamp']);
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);
    const signature = String(request?.headers['x-twilio-email-event-webhook-signature']);
    expect(verifySendGrid(keys.publicKeyBase64, ts, request?.body ?? '', signature)).toBe(true);
  });

  it('twilioSms(): signs over the configured public URL and posts the form to /webhooks/twilio/sms', async () => {
    const publicUrl = 'https://optstream.example.com/webhooks/twilio/sms';
    const sender = new WebhookSender({ gatewayUrl, twilioAuthToken: 'tok', twilioWebhookUrl: publicUrl });
    await sender.twilioSms({ from: '+14155550123', to: '+14155559999', body: 'STOP', optOutType: 'STOP' });
    const [request] = received;
    expect(request?.url).toBe('/webhooks/twilio/sms');
    const params = Object.fromEntries(new URLSearchParams(request?.body));
    expect(params).toMatchObject({ From: '+14155550123', Body: 'STOP', OptOutType: 'STOP' });
    expect(params['MessageSid']).toMatch(/^SM[0-9a-f]{32}$/);
    const data = Object.keys(params)
      .sort()
      .reduce((acc, k) => acc + k + params[k], publicUrl);
    expect(request?.headers['x-twilio-signature']).toBe(
      createHmac('sha1', 'tok').update(data).digest('base64'),
    );
  });

  it('mailchimp() carries the secret as ?key=; segment calls carry Basic auth', async () => {
    const sender = new WebhookSender({
      gatewayUrl,
      mailchimpSecret: 's3cret-s3cret-s3cret',
      segmentWriteKey: 'wk',
    });
    await sender.mailchimp('subscribe', { email: 'a@example.com', list_id: 'l1' });
    await sender.segmentTrack({
      userId: 'u-1',
      event: 'Marketing Preference Updated',
      properties: { channel: 'sms' },
    });
    await sender.segmentIdentify({ userId: 'u-1', traits: { email: 'a@example.com' } });
    expect(received.map((r) => r.url)).toEqual([
      '/webhooks/mailchimp?key=s3cret-s3cret-s3cret',
      '/v1/track',
      '/v1/identify',
    ]);
    expect(received[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(received[1]?.headers['authorization']).toBe(segmentBasicAuth('wk'));
    expect(JSON.parse(received[1]?.body ?? '')).toMatchObject({
      type: 'track',
      userId: 'u-1',
      event: 'Marketing Preference Updated',
      messageId: expect.any(String),
    });
    expect(JSON.parse(received[2]?.body ?? '')).toMatchObject({
      type: 'identify',
      traits: { email: 'a@example.com' },
    });
  });

  it('fails clearly when a secret it needs was not given', async () => {
    await expect(new WebhookSender({ gatewayUrl }).sendgrid([])).rejects.toThrow(/sendgridPrivateKey/);
  });
});
