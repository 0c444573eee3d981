import { randomBytes } from 'node:crypto';
import { identifierAssociatedData } from './associated-data';
import { generateDataKey } from './data-key';
import { keyedHash } from './keyed-hash';
import { LocalMasterKeyProvider } from './local-master-key-provider';
import { PiiCryptoError } from './pii-crypto-error';
import { open, seal } from './seal';

/**
 * Rule 9 of docs/architecture.md: erasure destroys the contact's data key. What stays in the immutable log (the sealed value)
 * and on the suppression list (the keyed hash) must then be useless to everyone, including us.
 */
describe('crypto-shredding', () => {
  const externalId = '0b6f3c1e-7a52-4e0c-9c1a-2f5d8e9b1a11';
  const email = 'jane.doe@example.com';
  const ad = identifierAssociatedData(externalId, 'email');
  const masterKey = randomBytes(32);
  const hashKey = randomBytes(32);

  it('leaves a sealed value that no remaining key can open once the data key is gone', async () => {
    const master = new LocalMasterKeyProvider({
      activeKeyId: 'k1',
      keys: { k1: masterKey.toString('base64') },
    });
    let dataKey: Buffer | undefined = generateDataKey();
    const sealed = seal(dataKey, email, ad);
    // Erasure: the wrapped copy (the only stored one) is deleted and the in-memory copy discarded.
    let wrapped = await master.wrapKey(dataKey, { externalId });
    dataKey.fill(0);
    dataKey = undefined;
    wrapped = { ...wrapped, blob: Buffer.alloc(0) };

    const survivingKeys = [
      masterKey,
      hashKey,
      Buffer.alloc(32),
      generateDataKey(),
      ...Array.from({ length: 50 }, () => generateDataKey()),
    ];
    for (const key of survivingKeys) {
      expect(() => open(key, sealed, ad)).toThrow(PiiCryptoError);
    }
    await expect(master.unwrapKey(wrapped)).rejects.toThrow(PiiCryptoError);
    expect(sealed.includes(Buffer.from(email))).toBe(false);
    expect(sealed.toString('latin1')).not.toContain('jane');
  });

  it('keeps only the keyed hash, which still matches the address for suppression', () => {
    const suppressed = keyedHash(hashKey, 'email', email);

    expect(suppressed).not.toContain('jane');
    expect(keyedHash(hashKey, 'email', email)).toBe(suppressed);
  });
});
