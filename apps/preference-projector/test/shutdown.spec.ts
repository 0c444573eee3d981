import { randomUUID } from 'node:crypto';
import { freePort, holdRequest, spawnService, waitFor, type ServiceProcess } from '@optstream/testing';
import { ADMIN_KEY, preference, ProjectorHarness } from './projector-harness';

jest.setTimeout(90_000);

/** Below the projector's terminationGracePeriodSeconds (30 s in deploy/k8s). */
const GRACE_MS = 10_000;

describe('preference-projector: graceful shutdown on SIGTERM (real process)', () => {
  const h = new ProjectorHarness();
  let projector: ServiceProcess;
  beforeAll(() => h.prepare());
  afterAll(async () => {
    projector?.kill();
    await h.stop();
  });

  it('answers the read API in flight, stops between transactions, exits 0 in time, and a successor applies the rest exactly once', async () => {
    const c = h.config;
    projector = spawnService('preference-projector', await freePort(), {
      KAFKA_BROKERS: c.KAFKA_BROKERS.join(','),
      SCHEMA_REGISTRY_URL: c.SCHEMA_REGISTRY_URL,
      DATABASE_URL: c.DATABASE_URL,
      OPTSTREAM_HASH_KEY: h.hashKey.toString('base64'),
      READ_API_KEYS: `${ADMIN_KEY}:admin`,
      PROJECTION_NAME: c.PROJECTION_NAME,
      CONSUMER_GROUP: c.CONSUMER_GROUP,
      PREFERENCES_TOPIC: c.PREFERENCES_TOPIC,
      IDENTITY_TOPIC: c.IDENTITY_TOPIC,
      STATE_TOPIC: c.STATE_TOPIC,
      DEAD_LETTER_TOPIC: c.DEAD_LETTER_TOPIC,
      TOPIC_PARTITIONS: '3',
      LOG_LEVEL: 'info',
    });
    await projector.ready();
    const ids = Array.from({ length: 600 }, () => randomUUID());
    for (let i = 0; i < ids.length; i += 100)
      await h.publishPreferences(
        ids.slice(i, i + 100).map((id) => preference(id, 'email', 'unsubscribed', 10)),
      );
    await waitFor(() => h.states.messages.length > 0, { timeoutMs: 30_000, description: 'a first state' });
    // One request surely in flight when SIGTERM comes: begun, its body held back until closing started.
    // (The lookups alone may all be answered before the signal is handled.)
    const held = await holdRequest(`${projector.url}/v1/lookup`, {
      headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_KEY },
      body: JSON.stringify({ email: 'held.lookup@example.com' }),
    });
    // Read-API callers on keep-alive connections (fetch keeps them alive) with lookups in flight:
    // they are answered, and their connections must not hold the close open.
    const answers: (number | string)[] = [];
    const lookups = ids.slice(0, 200).map((id) =>
      fetch(`${projector.url}/v1/contacts/${id}`, { headers: { 'x-api-key': ADMIN_KEY } }).then(
        async (r) => void (await r.arrayBuffer(), answers.push(r.status)),
        (error: unknown) => void answers.push(String(error)),
      ),
    );
    await waitFor(() => answers.length > 0, { description: 'a first read-API answer' });
    const exiting = projector.terminate('SIGTERM');
    await waitFor(() => projector.output().includes('closing the read API'), {
      description: 'the projector closing',
    });
    answers.push((await held.release()).status);
    const exit = await exiting;
    await Promise.all(lookups);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(GRACE_MS);
    const inFlight = Number(/"inFlight":(\d+)/.exec(projector.output())?.[1]);
    expect(inFlight).toBeGreaterThan(0);
    // Answered (found, or not projected yet), or refused once closing: never a half answer.
    for (const a of answers) expect(String(a)).toMatch(/^(200|404|503|TypeError: fetch failed)$/);

    // A successor in the same group and projection continues from the offsets stored in Postgres.
    await h.start();
    const wanted = new Set<string>(ids);
    await waitFor(
      () =>
        new Set(h.states.messages.map((m) => m.key?.toString() ?? '').filter((k) => wanted.has(k))).size ===
        ids.length,
      { timeoutMs: 45_000, description: 'a state for every contact' },
    );
    const rows: { n: string }[] = await h.projector.runtime.db.query(
      `SELECT count(*)::text AS n FROM preferences.history h
         JOIN preferences.projections p ON p.projection = $1 AND h.projection_version = p.active_version
        WHERE h.external_id = ANY($2::text[])`,
      [c.PROJECTION_NAME, ids],
    );
    expect(rows).toEqual([{ n: String(ids.length) }]);
  });
});
