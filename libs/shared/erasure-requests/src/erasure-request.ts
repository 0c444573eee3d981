import type { ContactInbound } from '@optstream/contracts';
import { keyedHash } from '@optstream/pii-crypto';
import { v5 as uuidv5 } from 'uuid';

/** Namespace of erasure request ids. */
const ERASURE_NAMESPACE = '2c0f3a8e-7d41-5b96-8e1a-4f6c9d2b7e10';

/**
 * An erasure request is an inbound fact like any other, so the identity resolver — the one writer of
 * the identity graph — carries it out in order with the contact's other facts: it destroys the data
 * key, and the projector and connectors follow its `contact_erased` event.
 *
 * Each request has its own id (from `requestId`, a fresh UUID per request): the resolver keeps every
 * fact's resolution by id, so an id per contact would make a request that found nobody (the contact
 * not yet registered, or its facts still held by a provisional contact) turn every later request for
 * that contact into a no-op "replay". A repeated request is harmless: an erased contact is out of the
 * identity view, so it erases nothing twice.
 */
export function erasureRequest(externalId: string, requestedAt: number, requestId: string): ContactInbound {
  const providerEventRef = `erasure:${requestId}`;
  return {
    eventId: uuidv5(`${externalId}:${providerEventRef}`, ERASURE_NAMESPACE),
    source: { system: 'optstream_api', providerEventRef },
    occurredAt: requestedAt,
    receivedAt: requestedAt,
    identifiers: { externalId, email: null, phone: null, anonymousId: null },
    kind: 'erasure_request',
    preferenceChange: null,
    identify: null,
    pushPermissionChange: null,
  };
}

/** The erasure request and its message key (a keyed hash of the externalId, like the gateway's keys). */
export function erasureMessage(
  hashKey: Buffer,
  request: { externalId: string; requestedAt: number; requestId: string },
): { key: string; value: ContactInbound; eventId: string } {
  const value = erasureRequest(request.externalId, request.requestedAt, request.requestId);
  return { key: keyedHash(hashKey, 'external_id', request.externalId), value, eventId: value.eventId };
}
