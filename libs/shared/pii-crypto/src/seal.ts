import { createCipheriv, createDecipheriv } from 'node:crypto';
import { assertKey } from './data-key';
import { PiiCryptoError } from './pii-crypto-error';
import { RandomBytes, secureRandomBytes } from './random';

/**
 * Sealed format v1: [version 1 byte][IV 12 bytes][ciphertext][GCM tag 16 bytes].
 * The version byte is part of the authenticated data, so it cannot be flipped to confuse a future reader.
 * Random 96-bit IVs are safe here because each data key seals a handful of values per contact, far below
 * the 2^32 messages-per-key limit for random GCM nonces.
 */
const VERSION_1 = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES;

function additionalData(version: number, associatedData: Buffer): Buffer {
  return Buffer.concat([Buffer.of(version), associatedData]);
}

export function seal(
  dataKey: Buffer,
  plaintext: Buffer | string,
  associatedData: Buffer,
  random: RandomBytes = secureRandomBytes,
): Buffer {
  assertKey(dataKey, 'data key');
  const iv = random(IV_BYTES);
  if (iv.length !== IV_BYTES)
    throw new PiiCryptoError('INVALID_INPUT', `IV source returned ${iv.length} bytes, expected ${IV_BYTES}`);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(VERSION_1, associatedData));
  const body = Buffer.concat([
    cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext),
    cipher.final(),
  ]);
  return Buffer.concat([Buffer.of(VERSION_1), iv, body, cipher.getAuthTag()]);
}

/** The plaintext, or PiiCryptoError: wrong key, tampering and mismatched associated data all read 'DECRYPT_FAILED'. */
export function open(dataKey: Buffer, sealed: Buffer, associatedData: Buffer): Buffer {
  assertKey(dataKey, 'data key');
  if (sealed.length < HEADER_BYTES + TAG_BYTES) {
    throw new PiiCryptoError(
      'MALFORMED',
      `sealed value is ${sealed.length} bytes, shorter than the ${HEADER_BYTES + TAG_BYTES}-byte minimum`,
    );
  }
  const version = sealed[0] as number;
  if (version !== VERSION_1)
    throw new PiiCryptoError(
      'UNSUPPORTED_VERSION',
      `sealed value has format version ${version}; this reader knows ${VERSION_1}`,
    );
  const iv = sealed.subarray(1, HEADER_BYTES);
  const body = sealed.subarray(HEADER_BYTES, sealed.length - TAG_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(version, associatedData));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch (cause) {
    throw new PiiCryptoError(
      'DECRYPT_FAILED',
      'sealed value could not be authenticated (wrong key, tampered bytes or other associated data)',
      { cause },
    );
  }
}
