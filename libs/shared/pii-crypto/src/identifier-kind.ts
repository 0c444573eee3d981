/** The identifiers a contact can carry; also the domain separator of keyed hashes and associated data. */
export type IdentifierKind = 'email' | 'phone' | 'external_id' | 'anonymous_id';

export const IDENTIFIER_KINDS: readonly IdentifierKind[] = ['email', 'phone', 'external_id', 'anonymous_id'];
