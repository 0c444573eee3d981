import { identifierAssociatedData } from './associated-data';
import { generateDataKey } from './data-key';
import { PiiCryptoError, PiiCryptoErrorCode } from './pii-crypto-error';
import { open, seal } from './seal';

const CONTACT = '0b6f3c1e-7a52-4e0c-9c1a-2f5d8e9b1a11';
const OTHER_CONTACT = '5d0e1f2a-3b4c-4d5e-8f60-718293a4b5c6';
const EMAIL = 'jane.doe@example.com';

function codeOf(action: () => unknown): PiiCryptoErrorCode | 'no error' {
  try {
    action();
    return 'no error';
  } catch (error) {
    if (error instanceof PiiCryptoError) return error.code;
    throw error;
  }
}

function flipByte(buffer: Buffer, index: number): Buffer {
  const copy = Buffer.from(buffer);
  copy[index] = (copy[index] as number) ^ 0x01;
  return copy;
}

describe('seal / open', () => {
  const key = generateDataKey();
  const ad = identifierAssociatedData(CONTACT, 'email');

  it('round-trips a value and produces the self-describing v1 layout', () => {
    const sealed = seal(key, EMAIL, ad);

    expect(open(key, sealed, ad).toString('utf8')).toBe(EMAIL);
    expect(sealed[0]).toBe(1);
    expect(sealed.length).toBe(1 + 12 + Buffer.byteLength(EMAIL) + 16);
    expect(sealed.includes(Buffer.from(EMAIL))).toBe(false);
  });

  it('uses a fresh IV for every seal, so equal values do not produce equal ciphertexts', () => {
    expect(seal(key, EMAIL, ad).equals(seal(key, EMAIL, ad))).toBe(false);
  });

  it('is deterministic when randomness is injected', () => {
    const fixedIv = () => Buffer.alloc(12, 7);
    expect(seal(key, EMAIL, ad, fixedIv).equals(seal(key, EMAIL, ad, fixedIv))).toBe(true);
  });

  it.each([
    ['the IV', 1],
    ['the ciphertext', 13],
    ['the tag', -1],
  ])('rejects a change to %s as DECRYPT_FAILED', (_part, offset) => {
    const sealed = seal(key, EMAIL, ad);
    const index = offset < 0 ? sealed.length + offset : offset;

    expect(codeOf(() => open(key, flipByte(sealed, index), ad))).toBe('DECRYPT_FAILED');
  });

  it('rejects a value moved to another contact or another identifier kind', () => {
    const sealed = seal(key, EMAIL, ad);

    expect(codeOf(() => open(key, sealed, identifierAssociatedData(OTHER_CONTACT, 'email')))).toBe(
      'DECRYPT_FAILED',
    );
    expect(codeOf(() => open(key, sealed, identifierAssociatedData(CONTACT, 'phone')))).toBe(
      'DECRYPT_FAILED',
    );
  });

  it('rejects the wrong data key', () => {
    expect(codeOf(() => open(generateDataKey(), seal(key, EMAIL, ad), ad))).toBe('DECRYPT_FAILED');
  });

  it('names an unknown format version instead of guessing', () => {
    const sealed = seal(key, EMAIL, ad);
    sealed[0] = 2;

    expect(codeOf(() => open(key, sealed, ad))).toBe('UNSUPPORTED_VERSION');
  });

  it('rejects truncated input and keys of the wrong size', () => {
    expect(codeOf(() => open(key, Buffer.alloc(20), ad))).toBe('MALFORMED');
    expect(codeOf(() => seal(Buffer.alloc(16), EMAIL, ad))).toBe('INVALID_KEY');
  });

  it('generates 32-byte data keys from the injected randomness', () => {
    expect(generateDataKey((size) => Buffer.alloc(size, 9))).toEqual(Buffer.alloc(32, 9));
    expect(codeOf(() => generateDataKey(() => Buffer.alloc(16)))).toBe('INVALID_KEY');
  });
});
