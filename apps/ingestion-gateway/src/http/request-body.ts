import type { FastifyRequest } from 'fastify';
import { FormFieldLimitExceeded, FormFields, parseFormBody } from '@optstream/ingestion-domain';
import { httpError } from '@optstream/http-errors';
import { errorMessage } from '@optstream/kafka';

/** Fastify keeps every body as raw bytes (see raw-body-parser.ts): signatures are computed over them. */
export function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

export function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function requireContentType(request: FastifyRequest, allowed: readonly string[]): void {
  const type = (header(request, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!allowed.includes(type)) {
    throw httpError(
      415,
      'UNSUPPORTED_CONTENT_TYPE',
      `content-type must be ${allowed.join(' or ')}; got "${type || 'none'}"`,
    );
  }
}

export function jsonBody(request: FastifyRequest): unknown {
  return jsonText(rawBody(request).toString('utf8'));
}

/** One linear JSON parse, with the gateway's documented 400 for an empty or malformed document. */
export function jsonText(text: string): unknown {
  if (text.trim() === '')
    throw httpError(400, 'INVALID_JSON', 'the body is empty; a JSON document is required');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw httpError(400, 'INVALID_JSON', `the body is not valid JSON: ${errorMessage(error)}`);
  }
}

/** Parsed in time linear in the body, with a cap on fields: webhooks parse it before checking the signature. */
export function formBody(request: FastifyRequest): FormFields {
  try {
    return parseFormBody(rawBody(request).toString('utf8'));
  } catch (error) {
    if (error instanceof FormFieldLimitExceeded)
      throw httpError(413, 'TOO_MANY_FORM_FIELDS', `${error.message}; nothing was accepted`);
    throw error;
  }
}
