import type { ProviderErrors, RateSnapshot, SimResponse } from '../../core/provider-definition';

export const brazeRateHeaders = (rate: RateSnapshot): Record<string, string> => ({
  'x-ratelimit-limit': String(rate.limit),
  'x-ratelimit-remaining': String(rate.remaining),
  'x-ratelimit-reset': String(rate.resetAt),
});

/** Braze REST errors are `{"message": …}` (BZ-ERR); partial failures carry `errors` beside it. */
const message = (status: number, text: string, headers: Record<string, string> = {}): SimResponse => ({
  status,
  body: { message: text },
  headers,
});

export const brazeErrors: ProviderErrors = {
  unauthorized: () => message(401, 'Invalid API key'),
  badRequest: (detail) => message(400, detail),
  notFound: (detail) => message(404, detail),
  rateLimited: (_retryAfter, rate) => message(429, 'API rate limit reached', brazeRateHeaders(rate)),
  serverError: (status) => message(status, 'Internal server error'),
  rejected: (status, detail) => message(status, detail),
};
