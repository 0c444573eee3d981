import fc from 'fast-check';
import { keyRing, linkKeyRing } from './key-ring';
import { LinkClaims, signLinkToken, verifyLinkToken, VerifyOptions } from './link-token';
import { linkUrl, mintContactLinks, mintLinkToken } from './mint';

const oldKey = { id: 'k1', secret: Buffer.alloc(32, 1) };
const newKey = { id: 'k2', secret: Buffer.alloc(32, 2) };
const ring = keyRing([newKey, oldKey]);
const NOW = Date.UTC(2026, 0, 10, 12);

const claims: LinkClaims = {
  tokenId: 'tok-1',
  externalId: 'cust-42',
  purpose: 'unsubscribe',
  audience: 'acme',
  channel: 'email',
  topic: 'newsletter',
  issuedAt: NOW / 1000 - 10,
  expiresAt: NOW / 1000 + 3600,
};
const options: VerifyOptions = { ring, audience: 'acme', purposes: ['unsubscribe'], nowMs: NOW };

describe('link tokens', () => {
  it('verifies what it signs and returns the claims and the key id', () => {
    const result = verifyLinkToken(signLinkToken(claims, ring), options);
    expect(result).toEqual({ ok: true, claims, keyId: 'k2' });
  });

  it('carries no email or phone: the payload holds the externalId only', () => {
    const token = signLinkToken(claims, ring);
    const payload = Buffer.from(token.split('.')[2] ?? '', 'base64url').toString('utf8');
    expect(JSON.parse(payload)).toEqual({
      jti: 'tok-1',
      sub: 'cust-42',
      pur: 'unsubscribe',
      aud: 'acme',
      ch: 'email',
      tp: 'newsletter',
      iat: claims.issuedAt,
      exp: claims.expiresAt,
    });
  });

  it('still accepts a token signed by the previous key after a rotation, and refuses it once the key is dropped', () => {
    const before = signLinkToken(claims, keyRing([oldKey]));
    expect(verifyLinkToken(before, options)).toMatchObject({ ok: true, keyId: 'k1' });
    expect(verifyLinkToken(before, { ...options, ring: keyRing([newKey]) })).toMatchObject({
      ok: false,
      code: 'UNKNOWN_KEY',
    });
  });

  it('refuses a forged token (signed with a secret the server does not have, under a known key id)', () => {
    const forged = signLinkToken(claims, keyRing([{ id: 'k2', secret: Buffer.alloc(32, 9) }]));
    expect(verifyLinkToken(forged, options)).toMatchObject({ ok: false, code: 'BAD_SIGNATURE' });
  });

  it('refuses a token whose claims were swapped for others (another person)', () => {
    const [v, kid, , sig] = signLinkToken(claims, ring).split('.');
    const other = Buffer.from(
      JSON.stringify({ jti: 't', sub: 'cust-43', pur: 'unsubscribe', aud: 'acme', iat: 1, exp: 9e9 }),
    ).toString('base64url');
    expect(verifyLinkToken(`${v}.${kid}.${other}.${sig}`, options)).toMatchObject({
      ok: false,
      code: 'BAD_SIGNATURE',
    });
  });

  it('refuses an expired token with the time it expired', () => {
    const result = verifyLinkToken(signLinkToken(claims, ring), {
      ...options,
      nowMs: (claims.expiresAt + 61) * 1000,
    });
    expect(result).toEqual({
      ok: false,
      code: 'EXPIRED',
      reason: `the link expired at ${new Date(claims.expiresAt * 1000).toISOString()}`,
    });
  });

  it('accepts a token within the clock skew and refuses one issued in the future', () => {
    expect(
      verifyLinkToken(signLinkToken(claims, ring), { ...options, nowMs: (claims.expiresAt + 59) * 1000 }).ok,
    ).toBe(true);
    const future = signLinkToken({ ...claims, issuedAt: NOW / 1000 + 120 }, ring);
    expect(verifyLinkToken(future, options)).toMatchObject({ ok: false, code: 'NOT_YET_VALID' });
  });

  it('refuses another audience and another purpose', () => {
    const token = signLinkToken(claims, ring);
    expect(verifyLinkToken(token, { ...options, audience: 'globex' })).toMatchObject({
      ok: false,
      code: 'WRONG_AUDIENCE',
    });
    expect(verifyLinkToken(token, { ...options, purposes: ['preferences'] })).toMatchObject({
      ok: false,
      code: 'WRONG_PURPOSE',
    });
  });

  it.each([
    ['empty', ''],
    ['one part', 'v1'],
    ['three parts', 'v1.k2.e30'],
    ['another version', 'v2.k2.e30.AAAA'],
    ['five parts', 'v1.k2.e30.AAAA.extra'],
    ['a space', 'v1.k2.e3 0.AAAA'],
    ['3,000 characters', 'x'.repeat(3000)],
  ])('refuses a malformed token (%s)', (_label, token) => {
    expect(verifyLinkToken(token, options)).toMatchObject({ ok: false, code: 'MALFORMED' });
  });

  it('refuses signed claims that are not a valid claim set (an unsubscribe without its channel)', () => {
    const payload = Buffer.from(
      JSON.stringify({ jti: 't', sub: 'x', pur: 'unsubscribe', aud: 'acme', iat: 1, exp: 9e9 }),
    ).toString('base64url');
    const signed = `v1.k2.${payload}`;
    const { createHmac } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const sig = createHmac('sha256', newKey.secret).update(signed).digest('base64url');
    expect(verifyLinkToken(`${signed}.${sig}`, options)).toMatchObject({ ok: false, code: 'MALFORMED' });
  });

  describe('properties', () => {
    const claimsArb = fc.record({
      tokenId: fc.base64String({ minLength: 1, maxLength: 24 }),
      externalId: fc.string({ minLength: 1, maxLength: 64 }),
      purpose: fc.constantFrom('unsubscribe' as const, 'confirm' as const),
      channel: fc.constantFrom('email' as const, 'sms' as const, 'push' as const),
      audience: fc.constant('acme'),
      issuedAt: fc.integer({ min: 0, max: NOW / 1000 }),
      expiresAt: fc.integer({ min: NOW / 1000, max: NOW / 1000 + 10 ** 8 }),
    });

    it('every signed claim set verifies to itself', () => {
      fc.assert(
        fc.property(claimsArb, (c) => {
          const result = verifyLinkToken(signLinkToken(c, ring), { ...options, purposes: [c.purpose] });
          expect(result).toEqual({ ok: true, claims: c, keyId: 'k2' });
        }),
      );
    });

    it('changing any one character of a token never yields a valid token', () => {
      fc.assert(
        fc.property(claimsArb, fc.nat(), fc.constantFrom(...'ABCabc012-_.x'), (c, at, replacement) => {
          const token = signLinkToken(c, ring);
          const index = at % token.length;
          fc.pre(token[index] !== replacement);
          const tampered = token.slice(0, index) + replacement + token.slice(index + 1);
          const result = verifyLinkToken(tampered, { ...options, purposes: [c.purpose] });
          expect(result).toMatchObject({ ok: false });
          expect(['MALFORMED', 'UNKNOWN_KEY', 'BAD_SIGNATURE']).toContain(!result.ok && result.code);
        }),
      );
    });

    it('arbitrary strings never verify and never throw', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 300 }), (s) => expect(verifyLinkToken(s, options).ok).toBe(false)),
      );
    });
  });
});

describe('minting', () => {
  it('mints a token that verifies, with the ttl and a token id from the given bytes', () => {
    const { token, claims: minted } = mintLinkToken(
      { externalId: 'cust-1', purpose: 'preferences' },
      { ring, audience: 'acme', nowMs: NOW, ttlSeconds: 86_400, randomId: () => Buffer.from([1, 2, 3]) },
    );
    expect(minted).toMatchObject({ tokenId: 'AQID', expiresAt: NOW / 1000 + 86_400 });
    expect(verifyLinkToken(token, { ...options, purposes: ['preferences'] })).toMatchObject({
      ok: true,
      claims: minted,
    });
  });

  it('mints both links of a contact with the RFC 8058 headers, each with its own token id', () => {
    let n = 0;
    const links = mintContactLinks(
      { externalId: 'cust-1', channel: 'email', topic: 'news' },
      {
        ring,
        audience: 'acme',
        nowMs: NOW,
        ttlSeconds: 60,
        randomId: () => Buffer.from([(n += 1)]),
        baseUrl: 'https://p.test',
      },
    );
    expect(links.headers).toEqual({
      'List-Unsubscribe': `<${links.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(links.tokenIds).toEqual({ unsubscribe: 'AQ', preferences: 'Ag' });
    const unsubscribe = verifyLinkToken(links.unsubscribeUrl.replace('https://p.test/u/', ''), options);
    expect(unsubscribe).toMatchObject({
      ok: true,
      claims: { externalId: 'cust-1', channel: 'email', topic: 'news' },
    });
    const center = verifyLinkToken(links.preferencesUrl.replace('https://p.test/p/', ''), {
      ...options,
      purposes: ['preferences'],
    });
    expect(center).toMatchObject({ ok: true, claims: { externalId: 'cust-1', purpose: 'preferences' } });
  });

  it('builds the URL under the purpose path, whatever the trailing slashes of the base', () => {
    expect(linkUrl('https://prefs.acme.test/', 'unsubscribe', 'T')).toBe('https://prefs.acme.test/u/T');
    expect(linkUrl('https://prefs.acme.test', 'preferences', 'T')).toBe('https://prefs.acme.test/p/T');
  });
});

describe('key ring from the settings', () => {
  const b64 = (n: number) => Buffer.alloc(32, n).toString('base64');

  it('signs with the active key and verifies with all', () => {
    const result = linkKeyRing({ k1: b64(1), k2: b64(2) }, 'k2');
    expect(result.ok && result.ring.signing.id).toBe('k2');
    expect(result.ok && [...result.ring.verifying.keys()].sort()).toEqual(['k1', 'k2']);
  });

  it.each([
    [{ 'k 1': b64(1) }, 'k 1', 'key id "k 1" must be 1-16 of'],
    [{ k1: 'c2hvcnQ=' }, 'k1', 'key "k1" must be at least 32 bytes'],
    [{ k1: b64(1) }, 'k2', 'the active key "k2" is not one of the keys'],
  ])('refuses %j with active %s', (keys, active, reason) => {
    const result = linkKeyRing(keys, active);
    expect(!result.ok && result.reason).toContain(reason);
  });
});
