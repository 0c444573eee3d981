import type { MatchKind, PlainIdentifier } from '../identifiers';
import { isBlockedIdentifierValue } from '../identifiers';
import type { ResolveInbound } from './command';
import type { Rejected } from './decision';

/** The fact's identifiers the resolver may match and link: blocked values are treated as absent. */
export interface UsableIdentifiers {
  readonly externalId: string | null;
  readonly email: PlainIdentifier | null;
  readonly phone: PlainIdentifier | null;
}

export const usableIdentifiers = (command: ResolveInbound): UsableIdentifiers | Rejected => {
  const { externalId, email, phone } = command.fact.identifiers;
  const emailRef = plain('email', email, command.emailHash);
  const phoneRef = plain('phone', phone, command.phoneHash);
  if (emailRef === 'missing_hash' || phoneRef === 'missing_hash') {
    // A usable value without its hash is a caller bug; resolving without it could create a second
    // contact for a known address, so refuse rather than guess.
    return {
      type: 'rejected',
      code: 'MISSING_IDENTIFIER_HASH',
      reason: `${emailRef === 'missing_hash' ? 'email' : 'phone'} present without its keyed hash`,
    };
  }
  return {
    externalId: isBlockedIdentifierValue(externalId) ? null : externalId,
    email: emailRef,
    phone: phoneRef,
  };
};

const plain = (
  kind: MatchKind,
  value: string | null,
  hash: string | null,
): PlainIdentifier | null | 'missing_hash' => {
  if (value === null || isBlockedIdentifierValue(value)) return null;
  if (hash === null || hash.length === 0) return 'missing_hash';
  return { kind, keyedHash: hash, plaintext: value };
};
