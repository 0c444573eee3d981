import { KEY_BYTES } from './data-key';
import { PiiCryptoError } from './pii-crypto-error';

/** Key ids travel inside every wrapped blob (length-prefixed), so they are short and printable. */
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** Canonical base64 of 32 bytes: 43 characters and one '=' (what `openssl rand -base64 32` prints). */
const BASE64_32 = /^[A-Za-z0-9+/]{43}=$/;

export function assertKeyId(keyId: string): void {
  if (!KEY_ID.test(keyId)) {
    throw new PiiCryptoError(
      'INVALID_KEY',
      `master key id "${keyId}" must be 1-64 characters of A-Z a-z 0-9 . _ -`,
    );
  }
}

/**
 * Decodes a master key from configuration. Buffer.from(…, 'base64') silently skips bad characters and
 * accepts any length, which would turn a truncated secret into a weak key; hence the strict check.
 * The error names the key id, never the value.
 */
export function decodeMasterKey(keyId: string, base64: string): Buffer {
  const trimmed = base64.trim();
  const decoded = Buffer.from(trimmed, 'base64');
  if (!BASE64_32.test(trimmed) || decoded.length !== KEY_BYTES) {
    throw new PiiCryptoError(
      'INVALID_KEY',
      `master key "${keyId}" must be ${KEY_BYTES} random bytes in base64 (44 characters, e.g. from \`openssl rand -base64 32\`); ` +
        `got ${trimmed.length} characters decoding to ${decoded.length} bytes`,
    );
  }
  return decoded;
}
