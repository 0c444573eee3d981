import { randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { mailchimpWebhookForm, type MailchimpWebhookData, type MailchimpWebhookType } from './mailchimp-form';
import { segmentBasicAuth } from './segment';
import { signSendGridEvents } from './sendgrid-signing';
import { signTwilioRequest, TWILIO_SIGNATURE_HEADER } from './twilio-signing';

export interface WebhookSenderOptions {
  /** Our ingestion gateway, e.g. `http://127.0.0.1:8080`. */
  readonly gatewayUrl: string;
  /** Pairs with the gateway's SENDGRID_WEBHOOK_PUBLIC_KEY. */
  readonly sendgridPrivateKey?: KeyObject | string;
  /** The gateway's TWILIO_AUTH_TOKEN. */
  readonly twilioAuthToken?: string;
  /** The gateway's TWILIO_WEBHOOK_URL: Twilio signs the URL as configured, not the one the gateway sees. */
  readonly twilioWebhookUrl?: string;
  /** One of the gateway's SEGMENT_WRITE_KEYS. */
  readonly segmentWriteKey?: string;
  /** The gateway's MAILCHIMP_WEBHOOK_SECRET, sent as `?key=`. */
  readonly mailchimpSecret?: string;
}

export interface WebhookResult {
  readonly status: number;
  /** Parsed JSON when the answer is JSON, the text otherwise (TwiML). */
  readonly body: unknown;
}

export interface TwilioSms {
  readonly from: string;
  readonly to: string;
  readonly body: string;
  readonly messageSid?: string;
  /** Set only for numbers with Advanced Opt-Out (docs/providers.md, "Twilio inbound SMS"). */
  readonly optOutType?: 'STOP' | 'START' | 'HELP';
  readonly accountSid?: string;
  /** Any further parameters; Twilio adds some without notice and signs them all. */
  readonly extra?: Readonly<Record<string, string>>;
}

export interface SegmentCall {
  readonly userId?: string;
  readonly anonymousId?: string;
  readonly messageId?: string;
  readonly timestamp?: string;
  /**
   * When the client sent the call (Segment's clock-skew correction moves `timestamp` by receivedAt −
   * sentAt); default now. `null` sends none, so `timestamp` is kept to the millisecond.
   */
  readonly sentAt?: string | null;
  readonly context?: Record<string, unknown>;
}

/** Paths of our gateway (apps/ingestion-gateway, docs/ingestion-gateway.md). */
export const GATEWAY_PATHS = {
  sendgrid: '/webhooks/sendgrid',
  twilioSms: '/webhooks/twilio/sms',
  mailchimp: '/webhooks/mailchimp',
  segmentTrack: '/v1/track',
  segmentIdentify: '/v1/identify',
  segmentBatch: '/v1/batch',
} as const;

/** Sends each provider's webhooks to our gateway, signed the way the provider signs them. */
export class WebhookSender {
  private readonly gateway: string;

  constructor(private readonly options: WebhookSenderOptions) {
    this.gateway = options.gatewayUrl.replace(/\/+$/, '');
  }

  async sendgrid(events: readonly object[], timestamp?: number): Promise<WebhookResult> {
    const key = required(this.options.sendgridPrivateKey, 'sendgridPrivateKey');
    const { body, headers } = signSendGridEvents(events, key, timestamp);
    return this.post(GATEWAY_PATHS.sendgrid, body, headers);
  }

  async twilioSms(sms: TwilioSms): Promise<WebhookResult> {
    const token = required(this.options.twilioAuthToken, 'twilioAuthToken');
    const signedUrl = this.options.twilioWebhookUrl ?? `${this.gateway}${GATEWAY_PATHS.twilioSms}`;
    const params = twilioParams(sms);
    return this.post(GATEWAY_PATHS.twilioSms, new URLSearchParams(params).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      [TWILIO_SIGNATURE_HEADER]: signTwilioRequest(token, signedUrl, params),
    });
  }

  async mailchimp(
    type: MailchimpWebhookType | string,
    data: MailchimpWebhookData,
    firedAt?: Date,
  ): Promise<WebhookResult> {
    const secret = required(this.options.mailchimpSecret, 'mailchimpSecret');
    return this.post(
      `${GATEWAY_PATHS.mailchimp}?key=${encodeURIComponent(secret)}`,
      mailchimpWebhookForm(type, data, firedAt),
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
  }

  async segmentTrack(
    call: SegmentCall & { event: string; properties?: Record<string, unknown> },
  ): Promise<WebhookResult> {
    return this.segment(GATEWAY_PATHS.segmentTrack, { type: 'track', ...call });
  }

  async segmentIdentify(call: SegmentCall & { traits?: Record<string, unknown> }): Promise<WebhookResult> {
    return this.segment(GATEWAY_PATHS.segmentIdentify, { type: 'identify', ...call });
  }

  private async segment(path: string, call: Record<string, unknown>): Promise<WebhookResult> {
    const writeKey = required(this.options.segmentWriteKey, 'segmentWriteKey');
    const { sentAt = new Date().toISOString(), ...rest } = call;
    const body = {
      messageId: randomUUID(),
      timestamp: new Date().toISOString(),
      ...(sentAt === null ? {} : { sentAt }),
      ...rest,
    };
    return this.post(path, JSON.stringify(body), {
      'content-type': 'application/json',
      authorization: segmentBasicAuth(writeKey),
    });
  }

  private async post(path: string, body: string, headers: Record<string, string>): Promise<WebhookResult> {
    const response = await fetch(`${this.gateway}${path}`, { method: 'POST', body, headers });
    const text = await response.text();
    return { status: response.status, body: parseMaybeJson(text, response.headers.get('content-type')) };
  }
}

/** The parameters Twilio posts for an inbound SMS (docs/providers.md, "Twilio inbound SMS"). */
function twilioParams(sms: TwilioSms): Record<string, string> {
  const sid = sms.messageSid ?? `SM${randomBytes(16).toString('hex')}`;
  return {
    ToCountry: 'US',
    SmsMessageSid: sid,
    NumMedia: '0',
    SmsSid: sid,
    SmsStatus: 'received',
    Body: sms.body,
    To: sms.to,
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: sms.accountSid ?? `AC${'0'.repeat(32)}`,
    From: sms.from,
    ApiVersion: '2010-04-01',
    ...(sms.optOutType ? { OptOutType: sms.optOutType } : {}),
    ...sms.extra,
  };
}

function parseMaybeJson(text: string, contentType: string | null): unknown {
  if (!(contentType ?? '').includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`WebhookSender needs the "${name}" option for this call`);
  return value;
}
