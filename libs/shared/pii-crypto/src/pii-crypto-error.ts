export type PiiCryptoErrorCode =
  /** Wrong key, tampered ciphertext/tag, or associated data that does not match: indistinguishable by design. */
  | 'DECRYPT_FAILED'
  /** A blob written by a newer (or unknown) format; reading it as v1 would be a silent misparse. */
  | 'UNSUPPORTED_VERSION'
  /** Too short or structurally broken before any decryption was attempted. */
  | 'MALFORMED'
  /** A key of the wrong length or encoding (configuration error). */
  | 'INVALID_KEY'
  /** A wrapped key names a master key this provider was not configured with (rotation gone wrong). */
  | 'UNKNOWN_MASTER_KEY'
  /** Caller passed a value that can never be processed (e.g. an empty identifier). */
  | 'INVALID_INPUT';

/**
 * The only error this library throws. Never retriable: the same bytes and keys give the same answer, so a
 * consumer must dead-letter, not retry. Messages never contain key material or plaintext.
 */
export class PiiCryptoError extends Error {
  readonly retriable = false;

  constructor(
    readonly code: PiiCryptoErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PiiCryptoError';
  }
}
