import { createHmac } from 'node:crypto';
import { IdentifierKind } from './identifier-kind';
import { PiiCryptoError } from './pii-crypto-error';

/** Shorter hash keys would let someone who sees the hashes brute-force the key, and then every address. */
const MIN_HASH_KEY_BYTES = 32;

/**
 * HMAC-SHA256 over `${kind}:${value}`, base64url without padding (43 characters). Used to match
 * identifiers without storing them and as the Kafka message key, and it is what the suppression list
 * keeps after an erasure (rule 9 of docs/architecture.md) — so it must be stable for as long as any hash is stored.
 *
 * - The value MUST already be normalized (email: trimmed and lowercased; phone: E.164; ids as issued):
 *   a plain hash cannot tell `John@Example.com ` from `john@example.com`, and a mismatch means a missed
 *   suppression. Normalization belongs to the domain layer, so this function does not guess.
 * - The kind is a domain separator: the same string as an email and as an external id hashes differently.
 *   Kinds contain no ':', so the input is unambiguous.
 * - `hashKey` is a separate secret from the master key: the hashes outlive erased data keys and must not
 *   be reversible by anyone holding only the key-wrapping secret, and the two rotate on different terms
 *   (rotating the hash key means re-keying topics and the suppression list).
 */
export function keyedHash(hashKey: Buffer, kind: IdentifierKind, normalizedValue: string): string {
  if (hashKey.length < MIN_HASH_KEY_BYTES) {
    throw new PiiCryptoError(
      'INVALID_KEY',
      `hash key must be at least ${MIN_HASH_KEY_BYTES} bytes, got ${hashKey.length}`,
    );
  }
  if (normalizedValue.length === 0) throw new PiiCryptoError('INVALID_INPUT', `cannot hash an empty ${kind}`);
  return createHmac('sha256', hashKey).update(`${kind}:${normalizedValue}`, 'utf8').digest('base64url');
}
