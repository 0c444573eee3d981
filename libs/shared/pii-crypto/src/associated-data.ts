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
