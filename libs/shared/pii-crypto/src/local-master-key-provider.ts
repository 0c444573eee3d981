import { assertKey } from './data-key';
import { assertKeyId, decodeMasterKey } from './master-key';
import { KeyWrapContext, MasterKeyProvider, WrappedKey } from './master-key-provider';
import { PiiCryptoError } from './pii-crypto-error';
import { RandomBytes, secureRandomBytes } from './random';
import { open, seal } from './seal';

export interface LocalMasterKeyOptions {
  /** The key used for new wraps; must be one of `keys`. */
  readonly activeKeyId: string;
  /** Every master key that may have wrapped a stored data key: id → 32 bytes in base64. Keep retired keys until nothing they wrapped is left. */
  readonly keys: Readonly<Record<string, string>>;
  readonly random?: RandomBytes;
}

/**
 * Wrapped blob: [format 1 byte][key id length 1 byte][key id][sealed data key (see seal.ts)].
 * The header and the contact's externalId are associated data of the seal, so neither the key id nor
 * the owner can be changed without unwrapping failing.
 */
const WRAP_FORMAT_1 = 0x01;

function wrapAssociatedData(keyId: string, context: KeyWrapContext): Buffer {
  return Buffer.from(JSON.stringify(['optstream.wrapped-key.v1', keyId, context.externalId]), 'utf8');
}

/** Master keys from configuration, AES-256-GCM key wrapping, rotation by key id. */
export class LocalMasterKeyProvider implements MasterKeyProvider {
  readonly keyId: string;
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly random: RandomBytes;

  constructor(options: LocalMasterKeyOptions) {
    const keys = new Map<string, Buffer>();
    for (const [id, base64] of Object.entries(options.keys)) {
      assertKeyId(id);
      keys.set(id, decodeMasterKey(id, base64));
    }
    if (!keys.has(options.activeKeyId)) {
      throw new PiiCryptoError(
        'INVALID_KEY',
        `active master key "${options.activeKeyId}" is not among the configured keys (${[...keys.keys()].join(', ') || 'none'})`,
      );
    }
    this.keyId = options.activeKeyId;
    this.keys = keys;
    this.random = options.random ?? secureRandomBytes;
  }

  async wrapKey(dataKey: Buffer, context: KeyWrapContext): Promise<WrappedKey> {
    assertKey(dataKey, 'data key');
    const master = this.keys.get(this.keyId) as Buffer;
    const id = Buffer.from(this.keyId, 'ascii');
    const sealed = seal(master, dataKey, wrapAssociatedData(this.keyId, context), this.random);
    return { blob: Buffer.concat([Buffer.of(WRAP_FORMAT_1, id.length), id, sealed]), context };
  }

  async unwrapKey(wrapped: WrappedKey): Promise<Buffer> {
    const { blob, context } = wrapped;
    if (blob.length < 2) throw new PiiCryptoError('MALFORMED', `wrapped key is ${blob.length} bytes`);
    if (blob[0] !== WRAP_FORMAT_1) {
      throw new PiiCryptoError(
        'UNSUPPORTED_VERSION',
        `wrapped key has format ${blob[0]}; this provider knows ${WRAP_FORMAT_1}`,
      );
    }
    const idEnd = 2 + (blob[1] as number);
    if (blob.length < idEnd) throw new PiiCryptoError('MALFORMED', 'wrapped key is shorter than its key id');
    const keyId = blob.subarray(2, idEnd).toString('ascii');
    const master = this.keys.get(keyId);
    if (!master) {
      throw new PiiCryptoError(
        'UNKNOWN_MASTER_KEY',
        `wrapped key names master key "${keyId}", which is not configured (keep retired keys until everything is re-wrapped)`,
      );
    }
    const dataKey = open(master, blob.subarray(idEnd), wrapAssociatedData(keyId, context));
    assertKey(dataKey, 'unwrapped data key');
    return dataKey;
  }

  /** Which master key wrapped a blob, without unwrapping it: lets a rotation job find what to re-wrap. */
  static masterKeyIdOf(wrapped: WrappedKey): string | undefined {
    const { blob } = wrapped;
    if (blob.length < 2 || blob[0] !== WRAP_FORMAT_1 || blob.length < 2 + (blob[1] as number))
      return undefined;
    return blob.subarray(2, 2 + (blob[1] as number)).toString('ascii');
  }
}
