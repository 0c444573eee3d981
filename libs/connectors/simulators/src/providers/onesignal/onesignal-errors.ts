import type { ProviderErrors, SimResponse } from '../../core/provider-definition';

/** OneSignal's user-model API answers errors as `{"errors":[{"code","title"}]}`. ASSUMPTION: codes are ours. */
const errors = (
  status: number,
  code: string,
  title: string,
  headers: Record<string, string> = {},
): SimResponse => ({
  status,
  body: { errors: [{ code, title }] },
  headers,
});

export const onesignalErrors: ProviderErrors = {
  unauthorized: () =>
    errors(
      401,
      'access-denied',
      "Access denied. Please include an 'Authorization: Key <App API Key>' header.",
    ),
  badRequest: (detail) => errors(400, 'invalid-request', detail),
  notFound: (detail) => errors(404, 'not-found', detail),
  // OneSignal's documented 429 hint is a Retry-After in seconds (OS-RL).
  rateLimited: (retryAfter) =>
    errors(429, 'rate-limit-exceeded', 'API rate limit exceeded', { 'retry-after': String(retryAfter) }),
  serverError: (status) => errors(status, 'internal-error', 'Internal server error'),
  rejected: (status, detail) => errors(status, 'rejected', detail),
};
