import { createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { ContactInbound, DeadLetter, TOPICS } from '@optstream/contracts';
import { AvroCodec } from '@optstream/kafka';
import { tailTopic, testKafkaConfig, TopicTail } from '@optstream/testing';
import { KafkaMessage } from 'kafkajs';
import { GatewayConfig, loadGatewayConfig } from '../src/config/gateway-config';
import { RunningGateway, startGateway } from '../src/create-gateway';

export const TWILIO_URL = 'https://hooks.optstream.example/webhooks/twilio/sms';
export const SEGMENT_WRITE_KEY = 'wk_test_mobile_app';

/**
 * A real gateway on a free port, wired to the real stack, with credentials generated the way each
 * provider issues them; plus signing helpers that sign requests exactly as the providers do.
 */
export class GatewayHarness {
  private readonly sendgridKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  readonly twilioToken = randomBytes(16).toString('hex');
  readonly mailchimpSecret = randomBytes(16).toString('hex');
  readonly apiSecret = randomBytes(32).toString('hex');
  readonly codec: AvroCodec;
  readonly config: GatewayConfig;
  gateway!: RunningGateway;
  inbound!: TopicTail;
  deadLetters!: TopicTail;

  /** `tail: false` when the test reads topics itself (e.g. the broker is down at first). */
  constructor(
    overrides: NodeJS.ProcessEnv = {},
    private readonly tail = true,
  ) {
    const kafka = testKafkaConfig({
      KAFKA_BROKERS: overrides['KAFKA_BROKERS'],
      SCHEMA_REGISTRY_URL: overrides['SCHEMA_REGISTRY_URL'],
    });
    this.codec = AvroCodec.fromConfig(kafka);
    this.config = loadGatewayConfig({
      KAFKA_BROKERS: kafka.KAFKA_BROKERS.join(','),
      SCHEMA_REGISTRY_URL: kafka.SCHEMA_REGISTRY_URL,
      PORT: '0',
      HOST: '127.0.0.1',
      OPTSTREAM_HASH_KEY: randomBytes(32).toString('base64'),
      SENDGRID_WEBHOOK_PUBLIC_KEY: this.sendgridKeys.publicKey
        .export({ format: 'der', type: 'spki' })
        .toString('base64'),
      TWILIO_AUTH_TOKEN: this.twilioToken,
      TWILIO_WEBHOOK_URL: TWILIO_URL,
      MAILCHIMP_WEBHOOK_SECRET: this.mailchimpSecret,
      SEGMENT_WRITE_KEYS: `${SEGMENT_WRITE_KEY}=mobile-app`,
      API_SIGNING_SECRETS: `${this.apiSecret},${randomBytes(32).toString('hex')}`,
      SPOOL_DIR: mkdtempSync(join(tmpdir(), 'optstream-spool-')),
      LOG_LEVEL: 'warn',
      ...overrides,
    });
  }

  async start(): Promise<void> {
    this.gateway = await startGateway(this.config);
    if (!this.tail) return;
    const brokers = this.config.KAFKA_BROKERS;
    this.inbound = await tailTopic(brokers, TOPICS.contactInbound.name);
    this.deadLetters = await tailTopic(brokers, TOPICS.ingestionDeadLetter.name);
  }

  async stop(): Promise<void> {
    await this.inbound?.stop();
    await this.deadLetters?.stop();
    await this.gateway?.close();
  }

  url(path: string): string {
    return `${this.gateway.url}${path}`;
  }

  /** SendGrid Signed Event Webhook: ECDSA P-256/SHA-256 over timestamp + raw body, base64 DER. */
  sendgridHeaders(body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
    const signature = sign(
      'sha256',
      Buffer.from(`${timestamp}${body}`),
      this.sendgridKeys.privateKey,
    ).toString('base64');
    return {
      'content-type': 'application/json',
      'x-twilio-email-event-webhook-signature': signature,
      'x-twilio-email-event-webhook-timestamp': String(timestamp),
    };
  }

  /** Twilio's own helper computes the signature of the configured public URL and the form parameters. */
  twilioHeaders(params: Record<string, string>): Record<string, string> {
    return {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': getExpectedTwilioSignature(this.twilioToken, TWILIO_URL, params),
    };
  }

  apiHeaders(
    body: string,
    id = `req-${randomBytes(4).toString('hex')}`,
    timestamp = Math.floor(Date.now() / 1000),
  ): Record<string, string> {
    // Computed here from the documented scheme, not with the gateway's own code.
    const hmac = createHmac('sha256', this.apiSecret).update(`${id}.${timestamp}.${body}`).digest('hex');
    return {
      'content-type': 'application/json',
      'x-optstream-id': id,
      'x-optstream-timestamp': String(timestamp),
      'x-optstream-signature': `v1=${hmac}`,
    };
  }

  segmentHeaders(writeKey = SEGMENT_WRITE_KEY): Record<string, string> {
    return {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
    };
  }

  async post(
    path: string,
    body: string | Uint8Array,
    headers: Record<string, string>,
  ): Promise<{ status: number; text: string; json: () => unknown; headers: Headers }> {
    const response = await fetch(this.url(path), { method: 'POST', body, headers });
    const text = await response.text();
    return {
      status: response.status,
      text,
      json: () => JSON.parse(text) as unknown,
      headers: response.headers,
    };
  }

  async decodeInbound(message: KafkaMessage): Promise<ContactInbound> {
    return this.codec.decode<ContactInbound>(message.value);
  }

  async decodeDeadLetter(message: KafkaMessage): Promise<DeadLetter> {
    return this.codec.decode<DeadLetter>(message.value);
  }

  /** Waits for the inbound facts with these event ids and returns them decoded, in the order asked for. */
  async inboundFacts(eventIds: readonly string[]): Promise<ContactInbound[]> {
    const wanted = new Set(eventIds);
    const messages = await this.inbound.until(
      (m) => wanted.has(m.headers?.['optstream-event-id']?.toString() ?? ''),
      eventIds.length,
    );
    // Different identifiers land on different partitions, so arrival order says nothing.
    const facts = await Promise.all(messages.map((m) => this.decodeInbound(m)));
    return eventIds
      .map((id) => facts.find((f) => f.eventId === id))
      .filter((f): f is ContactInbound => f !== undefined);
  }
}
