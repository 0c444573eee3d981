import { randomUUID } from 'node:crypto';
import type { DeadLetter, IdentityEvent, MarketingPreferenceUpdated } from '@optstream/contracts';
import { openIdentityDatabase } from '@optstream/identity-data-access';
import { emptyIdentityView, evolve, ownerOf } from '@optstream/identity-domain';
import { testDatabaseUrl, waitFor } from '@optstream/testing';
import type { DataSource } from 'typeorm';
import { startResolver, type RunningResolver } from '../src/resolver-runtime';
import { emailOptOut, identify, uniqueEmail } from './facts';
import { ResolverHarness } from './resolver-harness';

jest.setTimeout(180_000);

// Topics of its own: a resolver on the shared ones would also resolve the facts other suites send.
const harness = new ResolverHarness({ ownTopics: true });
let second: RunningResolver;
let db: DataSource;

beforeAll(async () => {
  await harness.start();
  // A second replica in the same consumer group: partitions are shared between two processes.
  second = await startResolver(harness.config);
  db = await openIdentityDatabase(testDatabaseUrl(), 'identity-resolver-race-test', 2);
});
afterAll(async () => {
  await second?.stop();
  await harness.stop();
  await db?.destroy();
});

/*
 * One person's opt-out (keyed by the email hash) and identify (keyed by the externalId hash) land on
 * different partitions, so two replicas resolve them at the same time against the same empty graph.
 * Whatever interleaving happens, the unique keys plus retry must end with the email on the real
 * contact, the opt-out on that contact, and a log that folds to the same graph as Postgres.
 */
it('concurrent opt-out and identify for one email converge on the real contact, in Postgres and in the log', async () => {
  const people = Array.from({ length: 40 }, () => ({ email: uniqueEmail(), externalId: randomUUID() }));
  const pairs = people.map((p) => ({
    ...p,
    optOut: emailOptOut(p.email),
    identify: identify(p.externalId, p.email),
  }));
  const causes = new Set(pairs.flatMap((p) => [p.optOut.eventId, p.identify.eventId]));
  await harness.send(...pairs.flatMap((p) => [p.optOut, p.identify]));

  const resolved = await waitFor(
    async () => {
      const rows: { n: string }[] = await db.query(
        `SELECT count(*)::text AS n FROM identity.resolutions WHERE inbound_event_id = ANY($1::text[]) AND published_at IS NOT NULL`,
        [[...causes]],
      );
      return rows[0]?.n === String(causes.size);
    },
    { timeoutMs: 90_000, description: 'every fact resolved and published' },
  );
  expect(resolved).toBe(true);

  const owners: { keyed_hash: string; external_id: string }[] = await db.query(
    `SELECT keyed_hash, external_id FROM identity.identifiers WHERE kind = 'email' AND keyed_hash = ANY($1::text[])`,
    [people.map((p) => harness.hash('email', p.email))],
  );
  const ownerByHash = new Map(owners.map((o) => [o.keyed_hash, o.external_id]));

  // Published means acknowledged by Kafka; the test's tail consumers may still be fetching it.
  const prefs = await waitFor(
    async () => {
      const all = await harness.decodeAll<MarketingPreferenceUpdated>(harness.preferences.messages);
      const done = people.every((p) =>
        all.some(
          (e) => e.externalId === p.externalId && e.channel === 'email' && e.newStatus === 'unsubscribed',
        ),
      );
      return done ? all : null;
    },
    { timeoutMs: 30_000, description: 'every opt-out in the tailed preference log' },
  );
  const foldIdentity = async () =>
    (await harness.decodeAll<IdentityEvent>(harness.identity.messages))
      .filter((e) => causes.has(e.causationId))
      .reduce(evolve, emptyIdentityView());
  // Same for identity.v1: fold what the tail has once every email has an owner in it (or time out).
  const folded = await waitFor(
    async () => {
      const view = await foldIdentity();
      return people.every((p) => ownerOf(view, { kind: 'email', keyedHash: harness.hash('email', p.email) }))
        ? view
        : null;
    },
    { timeoutMs: 30_000, description: 'every email owned in the tailed identity log' },
  );

  for (const p of people) {
    const hash = harness.hash('email', p.email);
    expect(ownerByHash.get(hash)).toBe(p.externalId);
    expect(ownerOf(folded, { kind: 'email', keyedHash: hash })?.externalId).toBe(p.externalId);
    // Either the opt-out resolved to the real contact, or it was re-emitted for it after the merge.
    expect(
      prefs.some(
        (e) => e.externalId === p.externalId && e.channel === 'email' && e.newStatus === 'unsubscribed',
      ),
    ).toBe(true);
  }
  const letters = await harness.decodeAll<DeadLetter>(harness.deadLetters.messages);
  expect(letters.filter((l) => l.errorCode === 'IDENTITY_CONFLICT')).toEqual([]);
});
