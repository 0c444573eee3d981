import { randomBytes } from 'node:crypto';
import { deflateSync, gzipSync } from 'node:zlib';
import { GatewayHarness, SEGMENT_WRITE_KEY } from './gateway-harness';

jest.setTimeout(60_000);

/** Transport rules of the Segment endpoints: paths, encodings, CORS per write key, batch bounds. */
const OTHER_KEY = 'wk_test_web_shop';
const SHOP = 'https://shop.optstream.example';
const unique = () => `tr-${randomBytes(5).toString('hex')}`;
const errorCode = (answer: { json: () => unknown }) =>
  (answer.json() as { error: { code: string } }).error.code;

const identify = (userId: string) => ({
  userId,
  messageId: `${userId}-m`,
  traits: { email_subscribed_status: false },
});

describe('Segment endpoints: transport', () => {
  const h = new GatewayHarness({
    SEGMENT_WRITE_KEYS: `${SEGMENT_WRITE_KEY}=mobile-app,${OTHER_KEY}=web-shop`,
    SEGMENT_ALLOWED_ORIGINS: `${OTHER_KEY}=${SHOP}|https://www.optstream.example`,
  });
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  /**
   * Sends `marker` last and waits for it, then reads the topic to its end: whatever came before it and is
   * not there was not published. (The marker alone is no barrier: each user id has its own partition,
   * and the tail fetches partitions independently.)
   */
  async function publishedOf(userIds: readonly string[], marker: string): Promise<Set<string>> {
    const response = await h.post('/v1/i', JSON.stringify(identify(marker)), h.segmentHeaders());
    expect(response.status).toBe(200);
    await h.inbound.until((m) => m.value?.includes(marker) ?? false, 2);
    const messages = await h.inbound.readToEnd();
    return new Set(userIds.filter((id) => messages.some((m) => m.value?.includes(id))));
  }

  it('short paths: /v1/i and /v1/t publish, /v1/p /v1/s /v1/g /v1/a and /v1/screen answer 200 and publish nothing', async () => {
    const viaShortPath = unique();
    const ignoredIds = ['/v1/p', '/v1/s', '/v1/g', '/v1/a', '/v1/screen', '/v1/page', '/v1/alias'].map(
      (path) => ({
        path,
        userId: unique(),
      }),
    );
    for (const { path, userId } of ignoredIds) {
      const body = JSON.stringify({ ...identify(userId), previousId: `anon-${userId}`, name: 'Home' });
      expect((await h.post(path, body, h.segmentHeaders())).status).toBe(200);
    }
    const track = {
      userId: viaShortPath,
      event: 'Marketing Preference Updated',
      properties: { channel: 'email', new_status: 'unsubscribed', source_of_change: 'Footer' },
    };
    expect((await h.post('/v1/t', JSON.stringify(track), h.segmentHeaders())).status).toBe(200);
    const published = await publishedOf([viaShortPath, ...ignoredIds.map((i) => i.userId)], unique());
    expect([...published]).toEqual([viaShortPath]);
  });

  it('gzip and deflate bodies are decoded; a zip bomb is 413 on its decompressed size; bad encodings are refused', async () => {
    const gz = unique();
    const df = unique();
    const headers = (encoding: string) => ({ ...h.segmentHeaders(), 'content-encoding': encoding });
    const send = (encoding: string, body: Buffer) =>
      fetch(h.url('/v1/identify'), { method: 'POST', body, headers: headers(encoding) });
    expect((await send('gzip', gzipSync(JSON.stringify(identify(gz))))).status).toBe(200);
    expect((await send('deflate', deflateSync(JSON.stringify(identify(df))))).status).toBe(200);
    // 33 KB of JSON compresses to a few hundred bytes: the limit applies to what it inflates to.
    const padded = { ...identify(unique()), traits: { pad: ' '.repeat(33 * 1024) } };
    const bomb = await send('gzip', gzipSync(JSON.stringify(padded)));
    expect(bomb.status).toBe(413);
    expect(((await bomb.json()) as { error: { reason: string } }).error.reason).toBe(
      'at most 32768 bytes are allowed here; the body has more once decompressed (gzip)',
    );
    const corrupt = await send('gzip', Buffer.from('not gzip at all'));
    expect(corrupt.status).toBe(400);
    expect(((await corrupt.json()) as { error: { code: string } }).error.code).toBe('INVALID_ENCODING');
    expect((await send('br', Buffer.from('{}'))).status).toBe(415);
    expect(await publishedOf([gz, df], unique())).toEqual(new Set([gz, df]));
  });

  it('CORS: preflight is answered for an allowed origin, without credentials; other origins get 403', async () => {
    const preflight = (origin: string) =>
      fetch(h.url('/v1/t'), {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,authorization',
        },
      });
    const allowed = await preflight(SHOP);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(allowed.headers.get('access-control-allow-methods')).toBe('POST');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const other = await preflight('https://evil.example');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('CORS: a browser POST is accepted only from an origin allowed for its write key (header or body)', async () => {
    const [fromShop, fromEvil, wrongKey, bodyKeyEvil] = [unique(), unique(), unique(), unique()];
    const text = (origin: string) => ({ 'content-type': 'text/plain', origin });
    const inBody = (userId: string, writeKey: string) => JSON.stringify({ ...identify(userId), writeKey });
    const shop = await h.post('/v1/i', inBody(fromShop, OTHER_KEY), text(SHOP));
    expect(shop.status).toBe(200);
    expect(shop.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(shop.headers.get('access-control-allow-credentials')).toBeNull();
    const evil = await h.post('/v1/i', inBody(fromEvil, OTHER_KEY), text('https://evil.example'));
    expect(evil.status).toBe(403);
    expect(errorCode(evil)).toBe('ORIGIN_NOT_ALLOWED');
    // The mobile key allows no origin at all (the default).
    const noOrigins = await h.post('/v1/i', JSON.stringify(identify(wrongKey)), {
      ...h.segmentHeaders(),
      origin: SHOP,
    });
    expect(noOrigins.status).toBe(403);
    const evilBody = await h.post(
      '/v1/b',
      JSON.stringify({ batch: [{ type: 'identify', ...identify(bodyKeyEvil) }], writeKey: OTHER_KEY }),
      text('null'),
    );
    expect(evilBody.status).toBe(403);
    expect(await publishedOf([fromShop, fromEvil, wrongKey, bodyKeyEvil], unique())).toEqual(
      new Set([fromShop]),
    );
  });

  it('a batch of more than 2,500 items, or of mostly invalid items, is refused whole: nothing published or dead-lettered', async () => {
    const good = (userId: string, i: number) => ({ type: 'identify', userId, messageId: `${userId}-${i}` });
    const tooMany = unique();
    const over = await h.post(
      '/v1/b',
      JSON.stringify({ batch: Array.from({ length: 2501 }, (_, i) => good(tooMany, i)) }),
      h.segmentHeaders(),
    );
    expect(over.status).toBe(400);
    expect(over.json()).toEqual({
      error: {
        code: 'INVALID_BODY',
        reason: 'a batch holds at most 2500 events; this one has 2501; nothing was accepted',
      },
    });
    const mostlyEmpty = unique();
    const empties = JSON.stringify({
      // Invalid items (no type) that still name this test, so a dead letter of theirs would be found.
      batch: [
        good(mostlyEmpty, 0),
        ...Array.from({ length: 2400 }, (_, i) => ({ messageId: `${mostlyEmpty}-${i}` })),
      ],
    });
    const refused = await h.post('/v1/b', empties, h.segmentHeaders());
    expect(refused.status).toBe(400);
    expect(errorCode(refused)).toBe('INVALID_BODY');
    expect(await publishedOf([tooMany, mostlyEmpty], unique())).toEqual(new Set());
    // Other suites dead-letter into the same topic meanwhile: look for this test's items only.
    const letters = await h.deadLetters.readToEnd();
    const ours = letters.filter((m) => [tooMany, mostlyEmpty].some((id) => m.value?.includes(id)));
    expect(ours).toEqual([]);
  });
});
