import { createHmac, randomBytes } from 'node:crypto';
import { IDENTIFIER_KINDS } from './identifier-kind';
import { keyedHash } from './keyed-hash';
import { PiiCryptoError } from './pii-crypto-error';

describe('keyedHash', () => {
  const key = randomBytes(32);

  it('is deterministic and base64url (usable as a Kafka key and in URLs)', () => {
    const hash = keyedHash(key, 'email', 'jane@example.com');

    expect(keyedHash(key, 'email', 'jane@example.com')).toBe(hash);
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('matches HMAC-SHA256 over "kind:value" (other languages can reproduce it)', () => {
    const fixedKey = Buffer.alloc(32, 1);
    const expected = createHmac('sha256', fixedKey).update('phone:+14155554567').digest('base64url');

    expect(keyedHash(fixedKey, 'phone', '+14155554567')).toBe(expected);
  });

  it('differs per kind for the same value', () => {
    const hashes = IDENTIFIER_KINDS.map((kind) => keyedHash(key, kind, 'same-value'));

    expect(new Set(hashes).size).toBe(IDENTIFIER_KINDS.length);
  });

  it('differs per key', () => {
    expect(keyedHash(randomBytes(32), 'email', 'jane@example.com')).not.toBe(
      keyedHash(key, 'email', 'jane@example.com'),
    );
  });

  it('does not normalize: callers must (a differently cased address is a different hash)', () => {
    expect(keyedHash(key, 'email', 'Jane@Example.com')).not.toBe(keyedHash(key, 'email', 'jane@example.com'));
  });

  it('refuses short hash keys and empty values', () => {
    expect(() => keyedHash(randomBytes(16), 'email', 'jane@example.com')).toThrow(PiiCryptoError);
    expect(() => keyedHash(key, 'email', '')).toThrow(PiiCryptoError);
  });
});
