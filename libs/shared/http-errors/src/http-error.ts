import { HttpException } from '@nestjs/common';

/**
 * Every error an optstream HTTP service answers has the same documented body:
 * `{"error": {"code", "reason"}}` — a stable code for machines and a precise reason for people.
 */
export class DocumentedHttpError extends HttpException {
  constructor(
    status: number,
    code: string,
    reason: string,
    /** For 503s: tells the client when to come back (Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super({ error: { code, reason } }, status);
  }
}

export function httpError(
  status: number,
  code: string,
  reason: string,
  retryAfterSeconds?: number,
): DocumentedHttpError {
  return new DocumentedHttpError(status, code, reason, retryAfterSeconds);
}
