import type { ContactInbound } from '@optstream/contracts';
import { keyedHash } from '@optstream/pii-crypto';
import { v5 as uuidv5 } from 'uuid';

/** Namespace of erasure request ids: one id per contact, so repeated requests collapse downstream. */
const ERASURE_NAMESPACE = '2c0f3a8e-7d41-5b96-8e1a-4f6c9d2b7e10';

/**
 * An erasure request is an inbound fact like any other, so the identity resolver — the one writer of
 * the identity graph — carries it out in order with the contact's other facts: it destroys the data
 * key, and the projector and connectors follow its `contact_erased` event.
 */
export function erasureRequest(externalId: string, requestedAt: number): ContactInbound {
  return {
    eventId: uuidv5(`erasure:${externalId}`, ERASURE_NAMESPACE),
    source: { system: 'optstream_api', providerEventRef: `erasure:${externalId}` },
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
  externalId: string,
  requestedAt: number,
): { key: string; value: ContactInbound; eventId: string } {
  const value = erasureRequest(externalId, requestedAt);
  return { key: keyedHash(hashKey, 'external_id', externalId), value, eventId: value.eventId };
}
