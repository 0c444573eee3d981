import { createHmac } from 'node:crypto';
import {
  constantTimeEqual,
  DEFAULT_TOLERANCE_SECONDS,
  rejected,
  timestampProblem,
  VERIFIED,
  type Verification,
} from './verification';

/**
 * Signed requests from our own systems (`POST /v1/preferences`). Header scheme (chosen here, close to
 * Standard Webhooks):
 *   X-Optstream-Id:        unique request id (1..255 visible ASCII chars), signed, so it cannot be swapped
 *   X-Optstream-Timestamp: Unix seconds, must be within ±300 s of the gateway clock
 *   X-Optstream-Signature: `v1=<lowercase hex HMAC-SHA256>`; several space-separated entries are allowed
 *                          so a sender can sign with the old and the new secret during rotation
 * Signed content: `${id}.${timestamp}.${rawBody}` (raw bytes, never re-serialised JSON).
 */
export const OPTSTREAM_ID_HEADER = 'x-optstream-id';
export const OPTSTREAM_TIMESTAMP_HEADER = 'x-optstream-timestamp';
export const OPTSTREAM_SIGNATURE_HEADER = 'x-optstream-signature';

export type OptstreamSignatureInput = {
  /** Every currently active secret; verification passes when any of them produced any listed signature. */
  readonly secrets: readonly string[];
  readonly id: string | undefined;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  readonly rawBody: Buffer | string;
  readonly nowMs: number;
  readonly toleranceSeconds?: number;
};

const ID_PATTERN = /^[\x21-\x7e]{1,255}$/;
const SIGNATURE_ENTRY = /^v1=([0-9a-f]{64})$/;

export const verifyOptstreamSignature = (input: OptstreamSignatureInput): Verification => {
  if (input.secrets.length === 0)
    return rejected('NO_SECRET_CONFIGURED', 'no API signing secret is configured');
  if (input.signature === undefined || input.signature.trim() === '') {
    return rejected('MISSING_SIGNATURE', `the ${OPTSTREAM_SIGNATURE_HEADER} header is missing`);
  }
  if (input.id === undefined || !ID_PATTERN.test(input.id)) {
    return rejected(
      'MALFORMED_SIGNATURE',
      `the ${OPTSTREAM_ID_HEADER} header must be 1 to 255 visible ASCII characters`,
    );
  }
  const stale = timestampProblem(
    input.timestamp,
    input.nowMs,
    input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
  );
  if (stale !== null) return stale;
  const provided = parseSignatureHeader(input.signature);
  if (provided === null) {
    return rejected(
      'MALFORMED_SIGNATURE',
      `the ${OPTSTREAM_SIGNATURE_HEADER} header must be one or more "v1=<64 lowercase hex>" separated by spaces`,
    );
  }
  const timestamp = (input.timestamp ?? '').trim();
  const expected = input.secrets.map((secret) =>
    Buffer.from(hmacHex(secret, input.id ?? '', timestamp, input.rawBody), 'utf8'),
  );
  // Compare every pair without short-circuiting on content; which secret matched is not a secret.
  const matched = expected.some((e) => provided.some((p) => constantTimeEqual(e, p)));
  return matched
    ? VERIFIED
    : rejected(
        'SIGNATURE_MISMATCH',
        'no active secret produced the given signature for this id, timestamp and body',
      );
};

/** Builds the signature header value; for our own clients and tests. */
export const signOptstreamRequest = (
  secret: string,
  id: string,
  timestamp: string,
  rawBody: Buffer | string,
): string => `v1=${hmacHex(secret, id, timestamp, rawBody)}`;

const hmacHex = (secret: string, id: string, timestamp: string, rawBody: Buffer | string): string =>
  createHmac('sha256', secret).update(`${id}.${timestamp}.`, 'utf8').update(rawBody).digest('hex');

const parseSignatureHeader = (header: string): Buffer[] | null => {
  const entries = header.trim().split(/\s+/);
  const digests = entries.map((entry) => SIGNATURE_ENTRY.exec(entry)?.[1]);
  if (digests.some((d) => d === undefined)) return null;
  return digests.map((d) => Buffer.from(d ?? '', 'utf8'));
};
