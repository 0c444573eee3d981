import { timingSafeEqual } from 'node:crypto';

export type SignatureErrorCode =
  | 'MISSING_SIGNATURE'
  | 'MALFORMED_SIGNATURE'
  | 'MISSING_TIMESTAMP'
  | 'MALFORMED_TIMESTAMP'
  | 'STALE_TIMESTAMP'
  | 'INVALID_PUBLIC_KEY'
  | 'NO_SECRET_CONFIGURED'
  | 'SIGNATURE_MISMATCH';

/** A verifier's verdict. Every failure means "publish nothing"; the code picks 401 vs 403 and the metric label. */
export type Verification =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: SignatureErrorCode; readonly reason: string };

export const VERIFIED: Verification = { ok: true };
export const rejected = (code: SignatureErrorCode, reason: string): Verification => ({
  ok: false,
  code,
  reason,
});

export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Constant-time equality of two byte strings; unequal lengths are compared against themselves to keep timing flat. */
export const constantTimeEqual = (a: Buffer, b: Buffer): boolean => {
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
};

/**
 * Checks a header timestamp (Unix seconds, digits only) against `nowMs` within ±toleranceSeconds.
 * Returns null when fresh; the failure otherwise.
 */
export const timestampProblem = (
  header: string | undefined,
  nowMs: number,
  toleranceSeconds: number,
): Verification | null => {
  if (header === undefined || header.trim() === '')
    return rejected('MISSING_TIMESTAMP', 'the signature timestamp header is missing');
  const text = header.trim();
  if (!/^\d{1,12}$/.test(text))
    return rejected('MALFORMED_TIMESTAMP', 'the signature timestamp must be Unix seconds (digits only)');
  const skewSeconds = Math.abs(nowMs / 1000 - Number(text));
  if (skewSeconds > toleranceSeconds) {
    return rejected(
      'STALE_TIMESTAMP',
      `the signature timestamp is ${Math.round(skewSeconds)} s away from now; the tolerance is ${toleranceSeconds} s`,
    );
  }
  return null;
};
