import type { ProviderErrors, RateSnapshot, SimResponse } from '../../core/provider-definition';

/** SendGrid v3 error body: `{"errors":[{"field":…,"message":…}]}`. */
const errors = (status: number, message: string, field: string | null = null, headers = {}): SimResponse => ({
  status,
  body: { errors: [{ field, message }] },
  headers,
});

export const sendgridRateHeaders = (rate: RateSnapshot): Record<string, string> => ({
  'x-ratelimit-limit': String(rate.limit),
  'x-ratelimit-remaining': String(rate.remaining),
  'x-ratelimit-reset': String(rate.resetAt),
});

export const sendgridErrors: ProviderErrors = {
  // SendGrid's 401 body carries no `field` (SG-OAI example).
  unauthorized: () => ({ status: 401, body: { errors: [{ message: 'authorization required' }] } }),
  badRequest: (detail) => errors(400, detail),
  notFound: (detail) => errors(404, detail),
  rateLimited: (_retryAfter, rate) => errors(429, 'too many requests', null, sendgridRateHeaders(rate)),
  serverError: (status) => errors(status, 'internal server error'),
  rejected: (status, detail) => errors(status, detail, 'recipient_emails'),
};
