import { randomBytes } from 'node:crypto';
import { generateDataKey } from './data-key';
import { LocalMasterKeyProvider } from './local-master-key-provider';
import { PiiCryptoError, PiiCryptoErrorCode } from './pii-crypto-error';

const OLD = randomBytes(32).toString('base64');
const NEW = randomBytes(32).toString('base64');
const CONTACT = { externalId: '0b6f3c1e-7a52-4e0c-9c1a-2f5d8e9b1a11' };

async function codeOf(action: () => unknown): Promise<PiiCryptoErrorCode | 'no error'> {
  try {
    await action();
    return 'no error';
  } catch (error) {
    if (error instanceof PiiCryptoError) return error.code;
    throw error;
  }
}

describe('LocalMasterKeyProvider', () => {
  it('wraps and unwraps a data key', async () => {
    const provider = new LocalMasterKeyProvider({ activeKeyId: 'k1', keys: { k1: OLD } });
    const dataKey = generateDataKey();

    const wrapped = await provider.wrapKey(dataKey, CONTACT);

    expect(wrapped.blob.includes(dataKey)).toBe(false);
    expect(await provider.unwrapKey(wrapped)).toEqual(dataKey);
    expect(LocalMasterKeyProvider.masterKeyIdOf(wrapped)).toBe('k1');
  });

  it('after a rotation wraps with the new key and still unwraps what the old key wrapped', async () => {
    const before = new LocalMasterKeyProvider({ activeKeyId: 'k1', keys: { k1: OLD } });
    const after = new LocalMasterKeyProvider({ activeKeyId: 'k2', keys: { k1: OLD, k2: NEW } });
    const oldKey = generateDataKey();
    const newKey = generateDataKey();

    const wrappedBefore = await before.wrapKey(oldKey, CONTACT);
    const wrappedAfter = await after.wrapKey(newKey, CONTACT);

    expect(after.keyId).toBe('k2');
    expect(LocalMasterKeyProvider.masterKeyIdOf(wrappedAfter)).toBe('k2');
    expect(await after.unwrapKey(wrappedBefore)).toEqual(oldKey);
    expect(await after.unwrapKey(wrappedAfter)).toEqual(newKey);
    expect(await codeOf(() => before.unwrapKey(wrappedAfter))).toBe('UNKNOWN_MASTER_KEY');
  });

  it('does not unwrap a key moved onto another contact', async () => {
    const provider = new LocalMasterKeyProvider({ activeKeyId: 'k1', keys: { k1: OLD } });
    const wrapped = await provider.wrapKey(generateDataKey(), CONTACT);

    expect(
      await codeOf(() => provider.unwrapKey({ ...wrapped, context: { externalId: 'someone-else' } })),
    ).toBe('DECRYPT_FAILED');
  });

  it('does not unwrap with a different master key under the same id', async () => {
    const wrapped = await new LocalMasterKeyProvider({ activeKeyId: 'k1', keys: { k1: OLD } }).wrapKey(
      generateDataKey(),
      CONTACT,
    );
    const impostor = new LocalMasterKeyProvider({ activeKeyId: 'k1', keys: { k1: NEW } });

    expect(await codeOf(() => impostor.unwrapKey(wrapped))).toBe('DECRYPT_FAILED');
  });

  it('rejects a blob whose key id was rewritten to point at another configured key', async () => {
    const provider = new LocalMasterKeyProvider({ activeKeyId: 'k1', keys: { k1: OLD, k2: NEW } });
    const wrapped = await provider.wrapKey(generateDataKey(), CONTACT);
    const blob = Buffer.from(wrapped.blob);
    blob.write('k2', 2, 'ascii');

    expect(await codeOf(() => provider.unwrapKey({ ...wrapped, blob }))).toBe('DECRYPT_FAILED');
  });

  it.each([
    ['too short', randomBytes(16).toString('base64')],
    ['too long', randomBytes(48).toString('base64')],
    ['not base64', '!'.repeat(43) + '='],
    ['empty', ''],
  ])('refuses a master key that is %s, without echoing it', (_why, value) => {
    let error: unknown;
    try {
      new LocalMasterKeyProvider({ activeKeyId: 'k1', keys: { k1: value } });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(PiiCryptoError);
    expect((error as PiiCryptoError).code).toBe('INVALID_KEY');
    expect((error as PiiCryptoError).message).toContain('"k1"');
    if (value.length > 0) expect((error as PiiCryptoError).message).not.toContain(value);
  });

  it('refuses an active key id that is not configured, and key ids that cannot be stored', () => {
    expect(() => new LocalMasterKeyProvider({ activeKeyId: 'k9', keys: { k1: OLD } })).toThrow(/k9/);
    expect(() => new LocalMasterKeyProvider({ activeKeyId: 'bad id', keys: { 'bad id': OLD } })).toThrow(
      PiiCryptoError,
    );
  });
});
