import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export const SENDGRID_SIGNATURE_HEADER = 'X-Twilio-Email-Event-Webhook-Signature';
export const SENDGRID_TIMESTAMP_HEADER = 'X-Twilio-Email-Event-Webhook-Timestamp';

export interface SendGridSigningKeys {
  /** The "Verification Key" as SendGrid shows it: base64 DER SPKI, no PEM armour. */
  readonly publicKeyBase64: string;
  readonly privateKey: KeyObject;
}

export interface SignedWebhook {
  /** The exact bytes to send; the signature covers them, so never re-serialise. */
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** An ECDSA P-256 key pair like the one SendGrid holds for a Signed Event Webhook (docs/providers.md, "SendGrid Event Webhook"). */
export function createSendGridSigningKeys(): SendGridSigningKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    publicKeyBase64: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    privateKey,
  };
}

/**
 * SendGrid's body: a JSON array whose events are separated by CRLF, with a trailing CRLF (docs/providers.md). For one
 * event this is exactly `JSON.stringify([event]) + '\r\n'`, the SDK's test vector.
 */
export function sendGridEventBody(events: readonly object[]): string {
  return `[${events.map((event) => JSON.stringify(event)).join(',\r\n')}]\r\n`;
}

/** Signs `timestamp + body` with ECDSA/SHA-256; the signature is base64 DER like SendGrid's (`MEUC…`). */
export function signSendGridEvents(
  events: readonly object[],
  privateKey: KeyObject | string,
  timestamp: number = Math.floor(Date.now() / 1000),
): SignedWebhook {
  const body = sendGridEventBody(events);
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const signature = sign('sha256', Buffer.from(`${timestamp}${body}`, 'utf8'), key).toString('base64');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      [SENDGRID_SIGNATURE_HEADER]: signature,
      [SENDGRID_TIMESTAMP_HEADER]: String(timestamp),
    },
  };
}
