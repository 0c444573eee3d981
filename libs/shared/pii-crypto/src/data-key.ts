import { PiiCryptoError } from './pii-crypto-error';
import { RandomBytes, secureRandomBytes } from './random';

/** AES-256: 32 bytes. Data keys and master keys have the same size. */
export const KEY_BYTES = 32;

/**
 * A fresh per-contact data key. It is stored only wrapped by a master key; destroying the wrapped copy
 * is what erases the contact (crypto-shredding), so there is deliberately no way to derive it again.
 */
export function generateDataKey(random: RandomBytes = secureRandomBytes): Buffer {
  const key = random(KEY_BYTES);
  assertKey(key, 'generated data key');
  return key;
}

export function assertKey(key: Buffer, what: string): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new PiiCryptoError(
      'INVALID_KEY',
      `${what} must be ${KEY_BYTES} bytes, got ${Buffer.isBuffer(key) ? key.length : typeof key}`,
    );
  }
}
