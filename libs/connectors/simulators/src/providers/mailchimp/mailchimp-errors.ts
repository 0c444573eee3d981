import { randomUUID } from 'node:crypto';
import type { ProviderErrors, SimResponse } from '../../core/provider-definition';

const PROBLEM_TYPE = 'https://mailchimp.com/developer/marketing/docs/errors/';

/** Mailchimp answers every error as `application/problem+json` {type,title,status,detail,instance}. */
export const problem = (status: number, title: string, detail: string): SimResponse => ({
  status,
  body: { type: PROBLEM_TYPE, title, status, detail, instance: randomUUID() },
  headers: { 'content-type': 'application/problem+json; charset=utf-8' },
});

export const mailchimpErrors: ProviderErrors = {
  unauthorized: () =>
    problem(
      401,
      'API Key Invalid',
      "Your API key may be invalid, or you've attempted to access the wrong datacenter.",
    ),
  badRequest: (detail) => problem(400, 'Invalid Resource', detail),
  notFound: (detail) => problem(404, 'Resource Not Found', detail),
  // Mailchimp sends no rate-limit headers at all (MC-RL), not even Retry-After.
  rateLimited: () =>
    problem(429, 'Too Many Requests', 'You have exceeded the limit of 10 simultaneous connections.'),
  serverError: (status) =>
    problem(status, 'Internal Server Error', 'An unexpected internal error has occurred.'),
  // A poison contact is a generic refusal; the compliance state is modelled by the member routes.
  rejected: (status, detail) => problem(status, status === 403 ? 'Forbidden' : 'Invalid Resource', detail),
};
