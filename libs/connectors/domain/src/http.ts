import type { ContactConsent } from './consent';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One HTTP call a vendor needs, as data: the pure mapping decides WHAT to send, the providers library
 * decides HOW (base URL, auth, timeout, idempotency key, retries). `path` is relative to the provider's
 * base URL and already URL-encoded (including any query string).
 */
export interface HttpRequest {
  readonly method: HttpMethod;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** Response headers with lower-case names (fetch's Headers, flattened). */
export type HeaderMap = Readonly<Record<string, string | undefined>>;

/** A request and the contacts whose delivery depends on its outcome (several for a batch call). */
export interface PlannedRequest {
  readonly request: HttpRequest;
  readonly contacts: readonly ContactConsent[];
}

/** A contact the vendor cannot hold anything of (no address, no representable channel). */
export interface SkippedContact {
  readonly contact: ContactConsent;
  readonly reason: string;
}

/** Every contact of a batch appears either in at least one request or in `skipped`. */
export interface DeliveryPlan {
  readonly requests: readonly PlannedRequest[];
  readonly skipped: readonly SkippedContact[];
}
