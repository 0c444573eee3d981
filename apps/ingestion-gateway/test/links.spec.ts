import { randomBytes } from 'node:crypto';
import type { ContactInbound } from '@optstream/contracts';
import { keyRing, mintLinkToken, type LinkPurpose } from '@optstream/shared-link-tokens';
import { waitFor } from '@optstream/testing';
import { csrfFor } from '../src/links/link-pages';
import { GatewayHarness } from './gateway-harness';

jest.setTimeout(60_000);

const secret = randomBytes(32);
const ring = keyRing([{ id: 'k1', secret }]);
const PAGES_ORIGIN = 'http://pages.optstream.test';
const unique = () => `cust-${randomBytes(6).toString('hex')}`;

function token(
  externalId: string,
  purpose: LinkPurpose,
  extra: { topic?: string; nowMs?: number; ttl?: number } = {},
) {
  return mintLinkToken(
    {
      externalId,
      purpose,
      ...(purpose === 'preferences' ? {} : { channel: 'email' as const }),
      ...(extra.topic ? { topic: extra.topic } : {}),
    },
    {
      ring,
      audience: 'acme',
      nowMs: extra.nowMs ?? Date.now(),
      ttlSeconds: extra.ttl ?? 3600,
      randomId: () => randomBytes(16),
    },
  );
}

/** Exactly how Gmail and Yahoo post a one-click unsubscribe (RFC 8058 §3.1). */
const ONE_CLICK = {
  body: 'List-Unsubscribe=One-Click',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
};

describe('signed links on the gateway: one-click unsubscribe (RFC 8058), against the real stack', () => {
  const h = new GatewayHarness({
    LINK_TOKEN_KEYS: `k1=${secret.toString('base64')}`,
    LINK_TOKEN_ACTIVE_KEY_ID: 'k1',
    LINK_AUDIENCE: 'acme',
    LINK_BASE_URL: PAGES_ORIGIN,
  });
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  /** Every inbound fact published so far about a contact. */
  async function factsOf(externalId: string): Promise<ContactInbound[]> {
    const facts = await Promise.all(h.inbound.messages.map((m) => h.decodeInbound(m)));
    return facts.filter((f) => f.identifiers.externalId === externalId);
  }

  it('POST List-Unsubscribe=One-Click unsubscribes at once: an email opt-out for the topic, with its evidence, reaches Kafka', async () => {
    const id = unique();
    const { token: t, claims } = token(id, 'unsubscribe', { topic: 'newsletter' });
    const response = await h.post(`/u/${t}`, ONE_CLICK.body, {
      ...ONE_CLICK.headers,
      'user-agent': 'GoogleOneClick/1.0',
    });
    expect(response.status).toBe(200);
    const [fact] = await waitFor(async () => {
      const facts = await factsOf(id);
      return facts.length > 0 && facts;
    });
    expect(fact).toMatchObject({
      source: { system: 'optstream' },
      identifiers: { externalId: id, email: null, phone: null },
      kind: 'preference_change',
      preferenceChange: {
        channel: 'email',
        newStatus: 'unsubscribed',
        topic: 'newsletter',
        sourceOfChange: 'Email One-Click Unsubscribe',
        evidence: {
          strength: 'explicit',
          kind: 'unsubscribe_link',
          trust: 'server',
          actor: 'person',
          collectionPoint: `one-click@1 token:${claims.tokenId}`,
          consentTextId: 'preference-center.en',
        },
        userAgent: 'GoogleOneClick/1.0',
        ipAddress: '127.0.0.1',
      },
    });
    expect(fact?.source.providerEventRef.startsWith(`${claims.tokenId}.`)).toBe(true);
  });

  it('GET shows a confirm page and changes nothing (a link scanner prefetching it unsubscribes no one)', async () => {
    const id = unique();
    const scanned = token(id, 'unsubscribe');
    const page = await fetch(h.url(`/u/${scanned.token}`), {
      headers: { 'accept-language': 'fr-FR,fr;q=0.9' },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    // Not no-referrer: under it the browser posts the page's own form with `Origin: null`, refused below.
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    const html = await page.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<meta name="referrer" content="same-origin">');
    expect(html).toContain(`<form method="post" action="/u/${scanned.token}">`);
    // A later change of the same contact (same partition, so after anything the GET could have sent).
    const marker = token(id, 'unsubscribe');
    expect((await h.post(`/u/${marker.token}`, ONE_CLICK.body, ONE_CLICK.headers)).status).toBe(200);
    const facts = await waitFor(async () => {
      const found = await factsOf(id);
      return found.length > 0 && found;
    });
    expect(facts.map((f) => f.preferenceChange?.evidence?.collectionPoint)).toEqual([
      `one-click@1 token:${marker.claims.tokenId}`,
    ]);
  });

  it('refuses forged, tampered, expired, wrong-purpose tokens and a wrong body with a clear page, publishing nothing', async () => {
    const id = unique();
    const good = token(id, 'unsubscribe').token;
    const forged = mintLinkToken(
      { externalId: id, purpose: 'unsubscribe', channel: 'email' },
      {
        ring: keyRing([{ id: 'k1', secret: randomBytes(32) }]),
        audience: 'acme',
        nowMs: Date.now(),
        ttlSeconds: 60,
        randomId: () => randomBytes(8),
      },
    ).token;
    const [v, kid, payload, sig] = good.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${v}.${kid}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${sig}`;
    const expired = token(id, 'unsubscribe', { nowMs: Date.now() - 7_200_000, ttl: 60 }).token;
    const center = token(id, 'preferences').token;
    const cases: [string, string, string, number, string][] = [
      ['forged', forged, ONE_CLICK.body, 400, 'This link is not valid'],
      ['tampered', tampered, ONE_CLICK.body, 400, 'This link is not valid'],
      ['expired', expired, ONE_CLICK.body, 410, 'This link has expired'],
      ['a preference-center token', center, ONE_CLICK.body, 400, 'This link is not valid'],
      ['a wrong body', good, 'List-Unsubscribe=Yes', 400, 'This form could not be accepted'],
    ];
    for (const [what, t, body, status, text] of cases) {
      const response = await h.post(`/u/${t}`, body, ONE_CLICK.headers);
      expect([what, response.status]).toEqual([what, status]);
      expect(response.text).toContain(text);
    }
    const wrongType = await h.post(`/u/${good}`, ONE_CLICK.body, { 'content-type': 'text/plain' });
    expect(wrongType.status).toBe(400);
    // The same contact's next valid one-click is the first and only fact about it.
    const marker = token(id, 'unsubscribe');
    await h.post(`/u/${marker.token}`, ONE_CLICK.body, ONE_CLICK.headers);
    const facts = await waitFor(async () => {
      const found = await factsOf(id);
      return found.length > 0 && found;
    });
    expect(facts).toHaveLength(1);
  });

  it('takes a center form only from its own origin: the page’s own POST gets past the checks, Origin null or foreign does not', async () => {
    const { token: t, claims } = token(unique(), 'preferences');
    const pages = h.gateway.runtime.linkPages;
    if (!pages) throw new Error('links are not enabled on the test gateway');
    const form = `csrf=${csrfFor(pages, claims.tokenId)}&submission=AAAAAAAAAAAAAAAA`;
    const post = (origin: string) =>
      h.post(`/p/${t}`, form, { 'content-type': 'application/x-www-form-urlencoded', origin });
    // Its own origin passes the CSRF checks and stops only at the (absent) read API.
    expect((await post(PAGES_ORIGIN)).status).toBe(503);
    for (const origin of ['null', 'https://attacker.example']) {
      const refused = await post(origin);
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('This form could not be accepted');
    }
  });

  it('the preference center says "try again later" without the read API, instead of showing a guess', async () => {
    const response = await fetch(h.url(`/p/${token(unique(), 'preferences').token}`));
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('temporarily unavailable');
  });
});
