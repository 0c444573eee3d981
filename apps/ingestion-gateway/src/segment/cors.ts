import type { FastifyReply, FastifyRequest } from 'fastify';
import { httpError } from '@optstream/http-errors';
import { header } from '../http/request-body';

/**
 * CORS for browsers (analytics.js / @segment/analytics-next): each write key lists the web origins
 * that may send with it (`SEGMENT_ALLOWED_ORIGINS`; none by default). No credentials are ever allowed:
 * the write key travels in the request, cookies never do.
 */
export type AllowedOrigins = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * A request that names an `Origin` comes from a browser page: it is accepted only when that origin is
 * allowed for the write key, and the answer then says so. Server and mobile libraries send no Origin.
 */
export function allowOriginForWriteKey(
  request: FastifyRequest,
  reply: FastifyReply,
  writeKey: string,
  allowed: AllowedOrigins,
): void {
  const origin = header(request, 'origin');
  if (origin === undefined) return;
  if (!allowed.get(writeKey)?.has(origin)) {
    throw httpError(
      403,
      'ORIGIN_NOT_ALLOWED',
      `origin ${JSON.stringify(origin.slice(0, 200))} is not allowed for this write key (SEGMENT_ALLOWED_ORIGINS)`,
    );
  }
  void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
}

/** Request headers analytics-next sends: text/plain, its Basic write key, its retry counter. */
const ALLOWED_HEADERS = 'Content-Type, Authorization, X-Retry-Count';
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * Preflight: the browser has not sent the write key yet, so an origin allowed for any key passes here;
 * the POST itself is then checked against its own key.
 */
export function answerPreflight(request: FastifyRequest, reply: FastifyReply, allowed: AllowedOrigins): void {
  const origin = header(request, 'origin');
  const known = origin !== undefined && [...allowed.values()].some((origins) => origins.has(origin));
  if (!known) {
    throw httpError(
      403,
      'ORIGIN_NOT_ALLOWED',
      'this origin may not send to this gateway (SEGMENT_ALLOWED_ORIGINS)',
    );
  }
  void reply
    .header('access-control-allow-origin', origin)
    .header('access-control-allow-methods', 'POST')
    .header('access-control-allow-headers', ALLOWED_HEADERS)
    .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS))
    .header('vary', 'Origin');
}
