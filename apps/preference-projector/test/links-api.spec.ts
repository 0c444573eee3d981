import { randomUUID } from 'node:crypto';
import { waitFor } from '@optstream/testing';
import { keyRing, verifyLinkToken } from '@optstream/shared-link-tokens';
import { preference, ProjectorHarness, READ_KEY } from './projector-harness';

jest.setTimeout(90_000);

const LINKS_KEY = 'links-key-0123456789abcdef';
const secret = Buffer.alloc(32, 7);

describe('GET /v1/contacts/{id}/links', () => {
  const h = new ProjectorHarness({
    READ_API_KEYS: `${READ_KEY}:read,${LINKS_KEY}:links`,
    LINK_TOKEN_KEYS: `k1=${Buffer.alloc(32, 1).toString('base64')},k2=${secret.toString('base64')}`,
    LINK_TOKEN_ACTIVE_KEY_ID: 'k2',
    LINK_AUDIENCE: 'acme',
    LINK_BASE_URL: 'https://preferences.acme.test/',
    LINK_TTL_DAYS: '30',
  });
  const jane = randomUUID();

  beforeAll(async () => {
    await h.prepare();
    await h.start();
    await h.publishPreferences([preference(jane, 'email', 'subscribed', 1)]);
    await waitFor(async () => (await h.get(`/v1/contacts/${jane}`, READ_KEY)).status === 200);
  });
  afterAll(() => h.stop());

  it('mints an unsubscribe URL for one topic and a preference-center URL, signed by the active key', async () => {
    const before = Date.now();
    const response = await h.get(`/v1/contacts/${jane}/links?topic=newsletter`, LINKS_KEY);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      unsubscribeUrl: string;
      preferencesUrl: string;
      headers: Record<string, string>;
      tokenIds: { unsubscribe: string };
    };
    expect(body.unsubscribeUrl).toMatch(/^https:\/\/preferences\.acme\.test\/u\/v1\.k2\./);
    expect(body.preferencesUrl).toMatch(/^https:\/\/preferences\.acme\.test\/p\/v1\.k2\./);
    expect(body.headers).toEqual({
      'List-Unsubscribe': `<${body.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    const ring = keyRing([{ id: 'k2', secret }]);
    const token = body.unsubscribeUrl.split('/u/')[1] ?? '';
    const verified = verifyLinkToken(token, {
      ring,
      audience: 'acme',
      purposes: ['unsubscribe'],
      nowMs: Date.now(),
    });
    expect(verified).toMatchObject({
      ok: true,
      claims: { externalId: jane, channel: 'email', topic: 'newsletter' },
    });
    expect(verified.ok && verified.claims.tokenId).toBe(body.tokenIds.unsubscribe);
    if (verified.ok) {
      expect(verified.claims.expiresAt * 1000).toBeGreaterThanOrEqual(before + 30 * 86_400_000 - 1000);
      expect(verified.claims.expiresAt * 1000).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000);
    }
  });

  it('needs the links scope: a read key gets 403, no key 401', async () => {
    expect((await h.get(`/v1/contacts/${jane}/links`, READ_KEY)).status).toBe(403);
    expect((await h.get(`/v1/contacts/${jane}/links`, null)).status).toBe(401);
  });

  it('refuses an unknown contact (404), an unknown channel and a malformed topic (400)', async () => {
    const unknown = await h.get(`/v1/contacts/${randomUUID()}/links`, LINKS_KEY);
    expect(unknown.status).toBe(404);
    const channel = await h.get(`/v1/contacts/${jane}/links?channel=fax`, LINKS_KEY);
    expect(channel.status).toBe(400);
    expect(await channel.json()).toMatchObject({ error: { code: 'INVALID_CHANNEL' } });
    const topic = await h.get(
      `/v1/contacts/${jane}/links?topic=${encodeURIComponent('Bad Topic')}`,
      LINKS_KEY,
    );
    expect(await topic.json()).toMatchObject({ error: { code: 'INVALID_TOPIC' } });
  });
});
