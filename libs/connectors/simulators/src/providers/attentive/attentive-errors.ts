import type { ProviderErrors, SimResponse } from '../../core/provider-definition';

/** ASSUMPTION: Attentive's error body is not in providers.md; `{"message"}` like most of its REST API. */
const message = (status: number, text: string, headers: Record<string, string> = {}): SimResponse => ({
  status,
  body: { message: text },
  headers,
});

export const attentiveErrors: ProviderErrors = {
  unauthorized: () => message(401, 'Unauthorized: missing, invalid or expired access token'),
  badRequest: (detail) => message(400, detail),
  notFound: (detail) => message(404, detail),
  rateLimited: (retryAfter) => message(429, 'Too Many Requests', { 'retry-after': String(retryAfter) }),
  serverError: (status) => message(status, 'Internal Server Error'),
  rejected: (status, detail) => message(status, detail),
};
