import { IdentifierKind } from './identifier-kind';

/**
 * Associated data for a sealed identifier value. Authenticated but not encrypted: opening a value sealed
 * for contact A (or for A's phone) as contact B's email fails, so a row or event field copied between
 * contacts cannot be passed off as theirs. JSON array encoding keeps the fields unambiguous whatever
 * characters an externalId contains; the label versions the encoding.
 */
export function identifierAssociatedData(externalId: string, kind: IdentifierKind): Buffer {
  return Buffer.from(JSON.stringify(['optstream.identifier.v1', externalId, kind]), 'utf8');
}

/** The personal proof-of-consent fields a consent event carries sealed. */
export type ProofOfConsentField = 'ip_address' | 'user_agent';

/**
 * Associated data for a sealed proof-of-consent value (a consent event's IP address or user agent),
 * sealed with the key of the contact the event is about: bound to that contact, the field and the
 * event, so it cannot be passed off as another contact's, another field or another event's.
 */
export function proofOfConsentAssociatedData(
  externalId: string,
  field: ProofOfConsentField,
  eventId: string,
): Buffer {
  return Buffer.from(JSON.stringify(['optstream.proof-of-consent.v1', externalId, field, eventId]), 'utf8');
}
