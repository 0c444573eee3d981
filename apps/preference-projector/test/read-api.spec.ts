import { randomUUID } from 'node:crypto';
import type { IdentityEvent } from '@optstream/contracts';
import { keyedHash } from '@optstream/pii-crypto';
import { waitFor } from '@optstream/testing';
import { ADMIN_KEY, at, AUDIENCE_KEY, preference, ProjectorHarness, READ_KEY } from './projector-harness';

jest.setTimeout(90_000);

const linked = (
  externalId: string,
  kind: 'email' | 'phone',
  hash: string,
  seconds: number,
): IdentityEvent => ({
  eventId: randomUUID(),
  externalId,
  kind: 'identifier_linked',
  provisional: false,
  identifier: { kind, keyedHash: hash, sealedValue: Buffer.from('sealed'), dataKeyId: `dk-${externalId}` },
  otherExternalId: null,
  occurredAt: at(seconds),
  recordedAt: at(seconds),
  causationId: randomUUID(),
});

/** Reads a whole listing by following `x-next-cursor`, page by page. */
async function readAll(h: ProjectorHarness, path: string, limit: number) {
  const pages: string[][] = [];
  let url: string | null = `${path}${path.includes('?') ? '&' : '?'}limit=${limit}`;
  while (url !== null) {
    const response = await h.get(url, AUDIENCE_KEY);
    expect(response.status).toBe(200);
    pages.push(
      (await response.text())
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { externalId: string }).externalId),
    );
    const cursor = response.headers.get('x-next-cursor');
    url = cursor === null ? null : `${path}${path.includes('?') ? '&' : '?'}limit=${limit}&cursor=${cursor}`;
  }
  return pages;
}

describe('read API against a projection of the real log', () => {
  const h = new ProjectorHarness();
  // Sorted ids so expected audience order is plain string order.
  const audience = Array.from({ length: 7 }, () => randomUUID()).sort();
  const jane = randomUUID();
  const janeEmail = `Jane.${jane.slice(0, 8)}@Example.com`;
  const janePhone = '+14155550123';

  beforeAll(async () => {
    await h.prepare();
    await h.start();
    await h.publishIdentity([
      linked(jane, 'email', keyedHash(h.hashKey, 'email', janeEmail.trim().toLowerCase()), 0),
      linked(jane, 'phone', keyedHash(h.hashKey, 'phone', janePhone), 0),
    ]);
    await h.publishPreferences([
      preference(jane, 'email', 'subscribed', 10),
      preference(jane, 'sms', 'subscribed', 20, { sourceOfChange: 'Backfill' }),
      preference(jane, 'sms', 'unsubscribed', 30, { sourceOfChange: 'SMS STOP Reply' }),
      // email + push subscribed, sms unsubscribed: the audience; every other contact misses one condition.
      ...audience.flatMap((id, i) => [
        preference(id, 'email', 'subscribed', 1),
        preference(id, 'push', 'subscribed', 1),
        preference(id, 'sms', i === 3 ? 'subscribed' : 'unsubscribed', 1),
      ]),
    ]);
    // Every contact, not the last one sent: contacts sit on different partitions, each applied on its own.
    await waitFor(
      async () => (await Promise.all(audience.map((id) => h.historyCount(id)))).every((n) => n === 3),
      { description: 'three history rows for every audience contact' },
    );
    await waitFor(async () => {
      const body = (await (await h.get(`/v1/contacts/${jane}`)).json()) as { identifiers?: unknown[] };
      return (body.identifiers?.length ?? 0) === 2 && (await h.historyCount(jane)) === 3;
    });
  });
  afterAll(() => h.stop());

  it('GET /v1/contacts/{id}: identifiers as keyed hashes, each channel with when, why, from where, traits', async () => {
    const response = await h.get(`/v1/contacts/${jane}`, READ_KEY);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      externalId: jane,
      version: 3,
      identifiers: expect.arrayContaining([
        { kind: 'email', keyedHash: keyedHash(h.hashKey, 'email', janeEmail.toLowerCase()) },
        { kind: 'phone', keyedHash: keyedHash(h.hashKey, 'phone', janePhone) },
      ]),
      channels: {
        email: { status: 'subscribed', occurredAt: new Date(at(10)).toISOString() },
        sms: {
          status: 'unsubscribed',
          occurredAt: new Date(at(30)).toISOString(),
          sourceOfChange: 'SMS STOP Reply',
          source: { system: 'optstream_api' },
        },
        push: null,
      },
      traits: {
        email_subscribed_status: 'subscribed',
        sms_subscribed_status: 'unsubscribed',
        push_notification_enabled: null,
        sms_opt_in_date: null,
      },
    });
    expect(JSON.stringify(body)).not.toContain('@');
  });

  it('lookup by email (normalized) and by E.164 phone, in the body; 400 for a malformed phone, 404 for a stranger', async () => {
    const byEmail = await h.lookup({ email: `  ${janeEmail} ` }, READ_KEY, { 'idempotency-key': 'call-42' });
    expect(byEmail.status).toBe(200);
    expect(byEmail.headers.get('idempotency-key')).toBe('call-42');
    expect(((await byEmail.json()) as { externalId: string }).externalId).toBe(jane);
    const byPhone = await h.lookup({ phone: janePhone });
    expect(((await byPhone.json()) as { externalId: string }).externalId).toBe(jane);

    const bad = await h.lookup({ phone: '4155550123' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: { code: 'INVALID_PHONE', reason: expect.stringContaining('E.164') },
    });
    const stranger = await h.lookup({ email: 'nobody@example.com' });
    expect(stranger.status).toBe(404);
    expect(((await stranger.json()) as { error: { code: string } }).error.code).toBe('CONTACT_NOT_FOUND');
  });

  it('lookup takes addresses only in the body: never in a URL (access logs), never unbounded before the key check', async () => {
    const inUrl = await h.get(`/v1/lookup?email=${encodeURIComponent(janeEmail)}`, READ_KEY);
    expect(inUrl.status).toBe(404);
    for (const [body, reason] of [
      [['a'], 'the body must be a JSON object with exactly one of email or phone'],
      [{ email: 42 }, 'email must be a string'],
      [{ email: janeEmail, phone: janePhone }, 'give exactly one of email or phone'],
    ] as const) {
      const response = await h.lookup(body as unknown as Record<string, unknown>);
      expect({ status: response.status, body: await response.json() }).toEqual({
        status: 400,
        body: { error: { code: 'INVALID_LOOKUP', reason } },
      });
    }
    expect((await h.lookup({ email: janeEmail }, null)).status).toBe(401);
    const huge = await h.lookup({ email: 'x'.repeat(64 * 1024) }, null);
    expect(huge.status).toBe(413);
  });

  it('history and as-of: what was true at a time, and why', async () => {
    const history = (await (await h.get(`/v1/contacts/${jane}/history`, READ_KEY)).json()) as {
      events: { channel: string; status: string; effect: string }[];
    };
    expect(history.events.map((e) => `${e.channel}:${e.status}:${e.effect}`)).toEqual([
      'email:subscribed:changed',
      'sms:subscribed:changed',
      'sms:unsubscribed:changed',
    ]);
    const asOf = await h.get(`/v1/contacts/${jane}/as-of?at=${new Date(at(25)).toISOString()}`, READ_KEY);
    expect(asOf.status).toBe(200);
    expect(await asOf.json()).toMatchObject({
      channels: {
        sms: { status: 'subscribed', sourceOfChange: 'Backfill' },
        email: { status: 'subscribed' },
      },
      traits: { sms_opt_in_date: new Date(at(20)).toISOString() },
    });
    const before = (await (
      await h.get(`/v1/contacts/${jane}/as-of?at=${new Date(at(5)).toISOString()}`)
    ).json()) as {
      channels: Record<string, unknown>;
    };
    expect(before.channels).toEqual({ email: null, sms: null, push: null });
    expect((await h.get(`/v1/contacts/${jane}/as-of?at=yesterday`)).status).toBe(400);
  });

  it('audiences stream NDJSON in keyset pages that together hold exactly the matching contacts', async () => {
    const pages = await readAll(h, '/v1/audiences?email=subscribed&push=subscribed&sms=unsubscribed', 2);
    const expected = audience.filter((_, i) => i !== 3);
    expect(pages.flat()).toEqual(expected);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2]);
  });

  it('audiences as CSV; suppressions per channel with keyed hashes', async () => {
    const csv = await h.get(
      '/v1/audiences?sms=subscribed&push=subscribed&format=csv&limit=100',
      AUDIENCE_KEY,
    );
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect((await csv.text()).trim().split('\n')).toEqual([
      'externalId,email,sms,push',
      `${audience[3]},subscribed,subscribed,subscribed`,
    ]);
    const sms = await h.get('/v1/suppressions/sms?limit=1000', AUDIENCE_KEY);
    const rows = (await sms.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { externalId: string; keyedHashes: string[]; sourceOfChange: string });
    expect(rows.map((r) => r.externalId).sort()).toEqual(
      [...audience.filter((_, i) => i !== 3), jane].sort(),
    );
    expect(rows.find((r) => r.externalId === jane)).toMatchObject({
      keyedHashes: [keyedHash(h.hashKey, 'phone', janePhone)],
      sourceOfChange: 'SMS STOP Reply',
    });
  });

  it("a merge moves the provisional contact's identifiers to the survivor and hides it from listings", async () => {
    const provisional = randomUUID();
    const survivor = randomUUID();
    const email = `p.${provisional.slice(0, 8)}@example.com`;
    const hash = keyedHash(h.hashKey, 'email', email);
    const registered = (externalId: string, isProvisional: boolean): IdentityEvent => ({
      ...linked(externalId, 'email', 'unused', 1),
      kind: 'contact_registered',
      provisional: isProvisional,
      identifier: null,
    });
    await h.publishIdentity([registered(provisional, true), linked(provisional, 'email', hash, 2)]);
    await h.publishPreferences([preference(provisional, 'email', 'unsubscribed', 3)]);
    await h.waitForStates(provisional, 1);
    await waitFor(async () => (await h.lookup({ email })).status === 200);
    expect(await (await h.get(`/v1/contacts/${provisional}`, READ_KEY)).json()).toMatchObject({
      provisional: true,
    });

    await h.publishIdentity([
      registered(survivor, false),
      {
        ...linked(survivor, 'email', hash, 4),
        kind: 'contacts_merged',
        identifier: null,
        otherExternalId: provisional,
      },
    ]);
    const found = await waitFor(async () => {
      const body = (await (await h.lookup({ email })).json()) as {
        externalId?: string;
      };
      return body.externalId === survivor ? body : undefined;
    });
    expect(found).toMatchObject({ externalId: survivor, identifiers: [{ kind: 'email', keyedHash: hash }] });
    expect(await (await h.get(`/v1/contacts/${provisional}`, READ_KEY)).json()).toMatchObject({
      mergedInto: survivor,
      identifiers: [],
    });
    const suppressed = (await (await h.get('/v1/suppressions/email?limit=1000', AUDIENCE_KEY)).text())
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { externalId: string }).externalId);
    expect(suppressed).not.toContain(provisional);
  });

  it('answers 400, 401, 403 and 404 with the documented error body', async () => {
    const cases: [string, string | null, number, string][] = [
      [`/v1/contacts/${jane}`, null, 401, 'UNAUTHORIZED'],
      [`/v1/contacts/${jane}`, 'not-a-key-at-all-000', 401, 'UNAUTHORIZED'],
      ['/v1/audiences?email=subscribed', READ_KEY, 403, 'FORBIDDEN'],
      [`/v1/contacts/${jane}`, AUDIENCE_KEY, 403, 'FORBIDDEN'],
      ['/v1/audiences', AUDIENCE_KEY, 400, 'MISSING_FILTER'],
      ['/v1/audiences?email=maybe', AUDIENCE_KEY, 400, 'INVALID_STATUS'],
      ['/v1/audiences?email=subscribed&cursor=%%%', AUDIENCE_KEY, 400, 'INVALID_CURSOR'],
      ['/v1/audiences?email=subscribed&limit=0', AUDIENCE_KEY, 400, 'INVALID_LIMIT'],
      ['/v1/suppressions/fax', AUDIENCE_KEY, 404, 'UNKNOWN_CHANNEL'],
      [`/v1/contacts/${randomUUID()}`, READ_KEY, 404, 'CONTACT_NOT_FOUND'],
      ['/v1/nothing-here', ADMIN_KEY, 404, 'NOT_FOUND'],
    ];
    for (const [path, key, status, code] of cases) {
      const response = await h.get(path, key);
      expect({ path, status: response.status, body: await response.json() }).toEqual({
        path,
        status,
        body: { error: { code, reason: expect.any(String) } },
      });
    }
  });

  it('addresses every id the gateway accepts (auth0|123, 256 characters) and refuses the rest with the reason', async () => {
    // Unique per run, yet in the shapes senders use: an Auth0 subject and one of the longest ids.
    const auth0 = `auth0|${randomUUID()}`;
    const longest = `long-${randomUUID()}-`.padEnd(256, 'é');
    await h.publishPreferences([
      preference(auth0, 'email', 'subscribed', 1),
      preference(longest, 'sms', 'subscribed', 1),
    ]);
    await waitFor(async () => (await h.historyCount(auth0)) === 1 && (await h.historyCount(longest)) === 1);
    for (const id of [auth0, longest]) {
      const path = `/v1/contacts/${encodeURIComponent(id)}`;
      for (const suffix of ['', '/history', '/export']) {
        const response = await h.get(`${path}${suffix}`, ADMIN_KEY);
        expect({ path: `${path}${suffix}`, status: response.status }).toEqual({
          path: `${path}${suffix}`,
          status: 200,
        });
      }
      const erased = await fetch(h.url(path), { method: 'DELETE', headers: { 'x-api-key': ADMIN_KEY } });
      expect({ status: erased.status, body: await erased.json() }).toMatchObject({
        status: 202,
        body: { externalId: id, status: 'accepted' },
      });
    }
    const refused: [string, string][] = [
      [encodeURIComponent('a'.repeat(257)), 'externalId is 257 characters long; the maximum is 256'],
      ['user%0042', 'externalId "user\\u000042" contains control characters'],
      [
        'null',
        'externalId is blank or a placeholder (such as "null" or "anonymous") that is never stored as an id',
      ],
    ];
    for (const [segment, reason] of refused) {
      const response = await h.get(`/v1/contacts/${segment}`, READ_KEY);
      expect({ status: response.status, body: await response.json() }).toEqual({
        status: 400,
        body: { error: { code: 'INVALID_EXTERNAL_ID', reason } },
      });
    }
  });

  it('serves its OpenAPI document, health and metrics without a key', async () => {
    const doc = (await (await h.get('/openapi.json', null)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/contacts/{externalId}',
        '/v1/lookup',
        '/v1/contacts/{externalId}/history',
        '/v1/contacts/{externalId}/as-of',
        '/v1/contacts/{externalId}/consent',
        '/v1/audiences',
        '/v1/suppressions/{channel}',
      ]),
    );
    expect((await h.get('/health/live', null)).status).toBe(200);
    expect(await (await h.get('/health/ready', null)).json()).toMatchObject({ status: 'ready' });
    const metrics = await (await h.get('/metrics', null)).text();
    expect(metrics).toContain('projector_events_total');
    expect(metrics).toMatch(/read_api_requests_total\{[^}]*route="\/v1\/contacts\/:externalId",status="200"/);
  });

  it('CSV listings neutralise formula leads in what senders chose (externalId, sourceOfChange)', async () => {
    const marker = randomUUID();
    const formula = `=HYPERLINK("http://x.example","${marker}")`;
    await h.publishPreferences([
      preference(formula, 'email', 'unsubscribed', 1, { sourceOfChange: '@SUM(A1:A9)' }),
    ]);
    await waitFor(async () => (await h.historyCount(formula)) === 1);
    const csv = await (await h.get('/v1/suppressions/email?format=csv&limit=1000', AUDIENCE_KEY)).text();
    const line = csv.split('\n').find((l) => l.includes(marker)) ?? '';
    const neutralised = `"'${formula.replaceAll('"', '""')}",`;
    expect(line.slice(0, neutralised.length)).toBe(neutralised);
    expect(line).toContain(`,"'@SUM(A1:A9)",`);
  });
});
