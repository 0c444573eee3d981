import type { Address, Channel, ConsentStatus, ContactConsent, DeliveryTarget } from './consent';

/**
 * The outcome of handing one contact's consent to one provider, after the adapter's own bounded retries.
 * - delivered: the provider holds the state (or already did).
 * - not-applicable: nothing to send (e.g. SendGrid and a contact without an email); recorded as delivered.
 * - retry: a transient failure (429, 5xx, timeout, circuit open) that outlived the attempts: park it.
 * - rejected: the provider refused this contact for good (other 4xx): dead-letter at once.
 */
export type DeliveryOutcome =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'not-applicable'; readonly reason: string }
  | {
      readonly kind: 'retry';
      readonly reason: string;
      /** Earliest useful retry, from Retry-After / rate-limit reset headers, when the provider said so. */
      readonly retryAfterMs?: number;
    }
  | { readonly kind: 'rejected'; readonly reason: string; readonly status?: number };

export interface DeliveryResult {
  readonly externalId: string;
  readonly version: number;
  readonly outcome: DeliveryOutcome;
}

/**
 * One channel platform behind the channel-neutral interface every connector uses (the shape Novu uses:
 * one adapter per vendor, chosen by configuration). `deliver` takes up to `maxBatch` contacts and returns
 * one result per contact, never throws for a provider answer; it throws only for programmer errors.
 */
export interface ProviderAdapter {
  readonly provider: DeliveryTarget;
  /** Addresses this provider is keyed by; the connector decrypts them from the identity store. */
  readonly needs: readonly Address[];
  /** Largest batch one call to `deliver` accepts (Braze 75 objects per /users/track, …). */
  readonly maxBatch: number;
  /**
   * Batches the connector may have in flight with this provider at once: its documented concurrency
   * (docs/providers.md, "Default rate limits"); absent means one at a time.
   */
  readonly maxInFlight?: number;
  /**
   * What of the consent this provider can represent, as a stable string: two states with the same
   * fingerprint are the same delivery (no-op skip), e.g. SendGrid only sees the email channel.
   */
  fingerprint(consent: ContactConsent): string;
  deliver(batch: readonly ContactConsent[]): Promise<readonly DeliveryResult[]>;
  /** Deletes the person at the platform, where it can (see ProviderEraser). */
  erase?(externalId: string): Promise<ErasureOutcome>;
}

/** Who to read back from a provider: the addresses are needed only by providers keyed by address. */
export interface ContactRef {
  readonly externalId: string;
  readonly email?: string;
  readonly phone?: string;
}

/** A provider's current view of one contact, in our terms (daily audit: compare with our state). */
export type ProviderView =
  | {
      readonly kind: 'found';
      /** Only the channels this provider represents and reports a status for. */
      readonly channels: Readonly<Partial<Record<Channel, ConsentStatus>>>;
    }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'not-applicable'; readonly reason: string }
  | { readonly kind: 'error'; readonly reason: string; readonly status?: number };

/** Adapters with a read endpoint implement this as well. */
export interface ProviderReader {
  read(contact: ContactRef): Promise<ProviderView>;
}

/**
 * Asking a platform to delete a person (erasure, rule 9 of docs/architecture.md). `not-supported`: the platform has no such API,
 * or it is keyed by an address that erasure has just shredded — recorded, never silently skipped.
 */
export type ErasureOutcome =
  | { readonly kind: 'erased' }
  | { readonly kind: 'not-supported'; readonly reason: string }
  | { readonly kind: 'retry'; readonly reason: string }
  | { readonly kind: 'rejected'; readonly reason: string };

/** Implemented by adapters whose platform can delete a person by externalId (Braze, OneSignal). */
export interface ProviderEraser {
  erase(externalId: string): Promise<ErasureOutcome>;
}
