import type { ContactRef, ProviderName } from '../types';

/** A request as a provider route sees it (path after the provider's base URL). */
export interface SimRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  /** Raw body text, '' when none. */
  readonly rawBody: string;
}

export interface SimResponse {
  readonly status: number;
  /** Objects are sent as JSON, strings verbatim, undefined = empty body. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What the rate-limit headers describe, whether or not a limit is configured. */
export interface RateSnapshot {
  readonly limit: number;
  readonly remaining: number;
  /** Unix seconds when the bucket is full again / the window resets. */
  readonly resetAt: number;
}

/** The error answers each provider gives, in its own shape. */
export interface ProviderErrors {
  unauthorized(): SimResponse;
  badRequest(detail: string): SimResponse;
  notFound(detail: string): SimResponse;
  rateLimited(retryAfterSeconds: number, rate: RateSnapshot): SimResponse;
  serverError(status: number): SimResponse;
  /** A `reject` fault: this contact is refused by the provider with `status`. */
  rejected(status: number, detail: string): SimResponse;
}

export interface RouteContext {
  readonly now: number;
  /** The `reject` fault's status when it names any of these contacts (batch endpoints, partial errors). */
  rejectStatus(contacts: ContactRef): number | undefined;
}

export interface SimRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify pattern relative to the provider mount, e.g. `/v3/asm/suppressions/global/:email`. */
  readonly url: string;
  /** Attentive's token endpoint authenticates with the body, not a header. */
  readonly public?: boolean;
  /** Contacts for `reject` faults; batch routes leave it out and use `ctx.rejectStatus` themselves. */
  contacts?(request: SimRequest): ContactRef;
  handle(request: SimRequest, ctx: RouteContext): SimResponse;
}

export interface ProviderDefinition {
  readonly name: ProviderName;
  /** Path under the simulator root, e.g. `/mailchimp/3.0`; the provider's base URL is root + mount. */
  readonly mount: string;
  readonly routes: readonly SimRoute[];
  readonly errors: ProviderErrors;
  authorized(request: SimRequest): boolean;
  /** Headers the provider puts on every answer (SendGrid's and Braze's X-RateLimit-*). */
  everyResponseHeaders?(rate: RateSnapshot): Record<string, string>;
  /** Mailchimp's 10 simultaneous connections; more are answered 429. */
  readonly maxConcurrent?: number;
}

/** Thrown by route handlers; the pipeline turns it into the provider's error shape. */
export class SimError extends Error {
  constructor(
    readonly kind: 'bad-request' | 'not-found' | 'unauthorized',
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (detail: string): SimError => new SimError('bad-request', detail);
export const notFound = (detail: string): SimError => new SimError('not-found', detail);
export const unauthorized = (): SimError => new SimError('unauthorized', 'unauthorized');
