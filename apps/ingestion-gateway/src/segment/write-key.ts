import type { FastifyRequest } from 'fastify';
import { httpError } from '@optstream/http-errors';
import { header } from '../http/request-body';

/**
 * Segment's HTTP Tracking API authenticates with the source's write key as the HTTP Basic user (empty
 * password), or `writeKey` in the body (analytics.js, the mobile libraries' batch files). Each key names
 * one source.
 */
export function headerWriteKey(request: FastifyRequest): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header(request, 'authorization') ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const user = decoded.split(':')[0];
  return user ? user : undefined;
}

export function bodyWriteKey(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const key = (body as Record<string, unknown>)['writeKey'];
  return typeof key === 'string' && key !== '' ? key : undefined;
}

/** The source name of a known write key; 401 for a missing or unknown one. */
export function sourceOfWriteKey(writeKey: string | undefined, keys: ReadonlyMap<string, string>): string {
  if (writeKey === undefined) {
    throw httpError(
      401,
      'MISSING_WRITE_KEY',
      'send the source write key as the HTTP Basic user or as "writeKey" in the body',
    );
  }
  const source = keys.get(writeKey);
  if (source === undefined)
    throw httpError(401, 'INVALID_WRITE_KEY', 'the write key is not known to this gateway');
  return source;
}
