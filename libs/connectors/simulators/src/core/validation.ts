import type { z } from 'zod';
import { badRequest, type SimRequest } from './provider-definition';

/** Parses the request body as JSON; a non-JSON body is the provider's 400, like a real API. */
export function jsonBody(request: SimRequest): unknown {
  if (request.rawBody.trim() === '') throw badRequest('the request body is empty; a JSON body is required');
  try {
    return JSON.parse(request.rawBody);
  } catch {
    throw badRequest('the request body is not valid JSON');
  }
}

/** Validates with zod; the first issues become the provider's 400 detail, naming the field. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const detail = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ');
  throw badRequest(detail);
}

/** Reads a JSON body and validates it in one step. */
export function parseJson<T>(schema: z.ZodType<T>, request: SimRequest): T {
  return parseWith(schema, jsonBody(request));
}

export const bearerToken = (request: SimRequest): string | undefined =>
  /^Bearer\s+(\S+)$/i.exec(request.headers['authorization'] ?? '')?.[1];

/** HTTP Basic credentials, or undefined when the header is absent or not Basic. */
export function basicCredentials(request: SimRequest): { user: string; password: string } | undefined {
  const encoded = /^Basic\s+(\S+)$/i.exec(request.headers['authorization'] ?? '')?.[1];
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** JSON.parse without throwing: for reading contacts out of a body before it is validated. */
export function tryJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
