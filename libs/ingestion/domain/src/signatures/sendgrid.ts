import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { fail, ok, type Result } from '../result';
import {
  DEFAULT_TOLERANCE_SECONDS,
  rejected,
  timestampProblem,
  VERIFIED,
  type Verification,
} from './verification';

export const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

/**
 * Parses the "Verification Key" as SendGrid shows it: base64 DER SubjectPublicKeyInfo without PEM
 * armour. Done once at configuration time, so a bad key fails the service start, not each request.
 */
export const parseSendgridPublicKey = (base64Spki: string): Result<KeyObject, 'INVALID_PUBLIC_KEY'> => {
  try {
    const key = createPublicKey({
      key: Buffer.from(base64Spki.trim(), 'base64'),
      format: 'der',
      type: 'spki',
    });
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      return fail(
        'INVALID_PUBLIC_KEY',
        'the SendGrid verification key must be an EC P-256 (prime256v1) public key',
      );
    }
    return ok(key);
  } catch {
    return fail('INVALID_PUBLIC_KEY', 'the SendGrid verification key is not base64 DER SPKI');
  }
};

export type SendgridSignatureInput = {
  readonly publicKey: KeyObject;
  /** `X-Twilio-Email-Event-Webhook-Signature`: base64 DER ECDSA signature. */
  readonly signature: string | undefined;
  /** `X-Twilio-Email-Event-Webhook-Timestamp`: Unix seconds, signed together with the body. */
  readonly timestamp: string | undefined;
  /** The exact bytes received; re-serialised JSON never verifies (SendGrid's body ends with CRLF). */
  readonly rawBody: Buffer | string;
  readonly nowMs: number;
  /** SendGrid documents no window; we refuse replays older or newer than this. */
  readonly toleranceSeconds?: number;
};

/** ECDSA P-256 / SHA-256 over `timestamp + rawBody` (SendGrid Signed Event Webhook). */
export const verifySendgridSignature = (input: SendgridSignatureInput): Verification => {
  if (input.signature === undefined || input.signature.trim() === '') {
    return rejected('MISSING_SIGNATURE', `the ${SENDGRID_SIGNATURE_HEADER} header is missing`);
  }
  const stale = timestampProblem(
    input.timestamp,
    input.nowMs,
    input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
  );
  if (stale !== null) return stale;
  const signature = Buffer.from(input.signature.trim(), 'base64');
  if (signature.length === 0) return rejected('MALFORMED_SIGNATURE', 'the SendGrid signature is not base64');
  const signed = Buffer.concat([Buffer.from(input.timestamp ?? '', 'utf8'), toBuffer(input.rawBody)]);
  return ecdsaVerify(signed, input.publicKey, signature)
    ? VERIFIED
    : rejected('SIGNATURE_MISMATCH', 'the SendGrid signature does not match the timestamp and body');
};

const ecdsaVerify = (data: Buffer, key: KeyObject, signature: Buffer): boolean => {
  try {
    return verify('sha256', data, key, signature);
  } catch {
    // OpenSSL throws on structurally broken DER; that is a mismatch, not a server error.
    return false;
  }
};

const toBuffer = (body: Buffer | string): Buffer =>
  typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
