/**
 * What a wrapped data key is bound to. The caller rebuilds it from the row it loads (the contact's
 * primary key), never from the stored blob, so a wrapped key copied onto another contact's row does not
 * unwrap. Maps onto a KMS "encryption context".
 */
export interface KeyWrapContext {
  readonly externalId: string;
}

export interface WrappedKey {
  /**
   * Opaque, provider-specific bytes to store (e.g. a Postgres bytea). They name the master key that
   * wrapped them, so a provider can unwrap keys written before a rotation.
   */
  readonly blob: Buffer;
  readonly context: KeyWrapContext;
}

/**
 * Wraps per-contact data keys with a master key. Implemented locally from configuration
 * (LocalMasterKeyProvider) or by a KMS adapter; async because a KMS is a network call.
 */
export interface MasterKeyProvider {
  /** The master key new wraps use; record it to know which keys still need re-wrapping after a rotation. */
  readonly keyId: string;
  wrapKey(dataKey: Buffer, context: KeyWrapContext): Promise<WrappedKey>;
  /** The data key, or PiiCryptoError ('UNKNOWN_MASTER_KEY', 'DECRYPT_FAILED', ...). */
  unwrapKey(wrapped: WrappedKey): Promise<Buffer>;
}
