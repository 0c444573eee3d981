import { randomUUID } from 'node:crypto';
import type { ContactInbound, IdentityEvent, MarketingPreferenceUpdated } from '@optstream/contracts';
import { compareGraphs, openIdentityDatabase, swapGraph } from '@optstream/identity-data-access';
import { testDatabaseUrl, uniqueName, waitFor } from '@optstream/testing';
import type { DataSource } from 'typeorm';
import { AvroCodec, createKafkaClient } from '@optstream/kafka';
import { rebuildIdentity } from '../src/rebuild/rebuild-identity';
import { consent, emailOptOut, identify, OCCURRED_AT, uniqueEmail, uniquePhone } from './facts';
import { ResolverHarness } from './resolver-harness';

jest.setTimeout(180_000);

const harness = new ResolverHarness({ ownTopics: true, partitions: 4 });
let db: DataSource;
const schemas: string[] = [];

beforeAll(async () => {
  await harness.start();
  db = await openIdentityDatabase(testDatabaseUrl(), 'identity-resolver-rebuild-test', 2);
});
afterAll(async () => {
  for (const schema of schemas) await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await harness.stop();
  await db?.destroy();
});

const schemaName = (what: string): string => {
  const name = uniqueName(`identity_${what}`).replace(/-/g, '_');
  schemas.push(name);
  return name;
};

/** A graph with every kind of event: provisional contacts, merges, links, moves, phones, re-emits. */
const scenario = (): ContactInbound[][] => {
  const people = Array.from({ length: 12 }, () => ({
    externalId: randomUUID(),
    email: uniqueEmail(),
    phone: uniquePhone(),
  }));
  const [a, b] = [people[0]!, people[1]!];
  const shared = uniqueEmail();
  const waves: ContactInbound[][] = [
    // Opt-outs from unknown addresses: provisional contacts (email, phone, both).
    people.map((p, i) => emailOptOut(p.email, OCCURRED_AT + i)),
    people.slice(0, 6).map((p) => consent({ phone: p.phone }, 'sms', 'unsubscribed')),
    // Identifies: merges of the provisional contacts into real ones, plus new links.
    people.map((p, i) =>
      identify(p.externalId, p.email, OCCURRED_AT + 1_000 + i, i % 2 === 0 ? p.phone : null),
    ),
    // One email claimed by two real contacts in turn: identifier_reassigned, twice.
    [identify(a.externalId, shared), identify(b.externalId, shared)],
    [identify(a.externalId, shared, OCCURRED_AT + 5_000)],
    // Consent by every key, and a redelivered fact.
    people.map((p) => consent({ externalId: p.externalId }, 'push', 'subscribed')),
    people.map((p) => consent({ email: p.email }, 'email', 'subscribed')),
  ];
  waves.push([waves[0]![0]!]);
  return waves;
};

describe('rebuild of the identity tables from identity.v1', () => {
  it('rebuilds a graph built live through the resolver: every row identical; the swap is atomic', async () => {
    const waves = scenario();
    const ids = new Set(waves.flat().map((f) => f.eventId));
    for (const wave of waves) {
      await harness.send(...wave);
      const waveIds = wave.map((f) => f.eventId);
      await waitFor(
        async () => {
          const rows: { n: string }[] = await db.query(
            `SELECT count(*)::text AS n FROM identity.resolutions
              WHERE inbound_event_id = ANY($1::text[]) AND published_at IS NOT NULL`,
            [waveIds],
          );
          return Number(rows[0]?.n) === new Set(waveIds).size;
        },
        { timeoutMs: 60_000, description: 'the wave resolved and published' },
      );
    }
    // Everything the resolver published for these facts is in the log before the rebuild reads it;
    // the tails may still be fetching it.
    await harness.identity.readToEnd();
    await harness.preferences.readToEnd();
    const identity = await harness.decodeAll<IdentityEvent>(harness.identity.messages);
    const prefs = await harness.decodeAll<MarketingPreferenceUpdated>(harness.preferences.messages);
    expect(identity.map((e) => e.kind)).toEqual(
      expect.arrayContaining([
        'contact_registered',
        'identifier_linked',
        'identifier_reassigned',
        'contacts_merged',
      ]),
    );
    const scope = [
      ...new Set([
        ...identity.flatMap((e) => [e.externalId, ...(e.otherExternalId ? [e.otherExternalId] : [])]),
        ...prefs.map((e) => e.externalId),
      ]),
    ];
    expect(identity.every((e) => ids.has(e.causationId))).toBe(true);

    const kafka = createKafkaClient(harness.config, 'identity-rebuild-test');
    const rebuilt = schemaName('rebuilt');
    const report = await rebuildIdentity(kafka, AvroCodec.fromConfig(harness.config), db, {
      identityTopic: harness.config.IDENTITY_TOPIC,
      preferencesTopic: harness.config.PREFERENCES_TOPIC,
      schema: rebuilt,
      previousSchema: schemaName('unused'),
      swap: false,
      scope,
    });
    expect(report.differences).toEqual([
      { table: 'contacts', onlyLeft: 0, onlyRight: 0 },
      { table: 'identifiers', onlyLeft: 0, onlyRight: 0 },
      { table: 'emitted_preferences', onlyLeft: 0, onlyRight: 0 },
    ]);
    expect(report.identical).toBe(true);
    // The rebuilt schema holds this graph only, and all of it.
    const counts: { contacts: string; identifiers: string; prefs: string }[] = await db.query(
      `SELECT (SELECT count(*) FROM ${rebuilt}.contacts)::text AS contacts,
              (SELECT count(*) FROM ${rebuilt}.identifiers)::text AS identifiers,
              (SELECT count(*) FROM ${rebuilt}.emitted_preferences)::text AS prefs`,
    );
    const live: { contacts: string; identifiers: string; prefs: string }[] = await db.query(
      `SELECT (SELECT count(*) FROM identity.contacts WHERE external_id = ANY($1::text[]))::text AS contacts,
              (SELECT count(*) FROM identity.identifiers WHERE external_id = ANY($1::text[]))::text AS identifiers,
              (SELECT count(*) FROM identity.emitted_preferences WHERE external_id = ANY($1::text[]))::text AS prefs`,
      [scope],
    );
    expect(counts).toEqual(live);
    expect(Number(counts[0]?.contacts)).toBeGreaterThanOrEqual(24);

    // The swap, on a sandbox "live" schema holding a copy of this graph (never the shared one).
    const sandbox = schemaName('sandbox');
    const previous = schemaName('previous');
    await db.query(`CREATE SCHEMA ${sandbox}`);
    for (const table of ['contacts', 'identifiers', 'emitted_preferences']) {
      await db.query(`CREATE TABLE ${sandbox}.${table} (LIKE identity.${table} INCLUDING ALL)`);
      await db.query(
        `INSERT INTO ${sandbox}.${table} SELECT * FROM identity.${table} WHERE external_id = ANY($1::text[])`,
        [scope],
      );
    }
    await swapGraph(db, sandbox, rebuilt, previous);
    expect(await compareGraphs(db, sandbox, previous)).toEqual([
      { table: 'contacts', onlyLeft: 0, onlyRight: 0 },
      { table: 'identifiers', onlyLeft: 0, onlyRight: 0 },
      { table: 'emitted_preferences', onlyLeft: 0, onlyRight: 0 },
    ]);
    const left: { n: string }[] = await db.query(
      `SELECT count(*)::text AS n FROM information_schema.schemata WHERE schema_name = $1`,
      [rebuilt],
    );
    expect(left).toEqual([{ n: '0' }]);
  });

  it('refuses to swap while the log moves on or facts are unpublished (the guard runs under the lock)', async () => {
    const sandbox = schemaName('sandbox');
    const rebuilt = schemaName('rebuilt');
    for (const schema of [sandbox, rebuilt]) {
      await db.query(`CREATE SCHEMA ${schema}`);
      for (const table of ['contacts', 'identifiers', 'emitted_preferences']) {
        await db.query(`CREATE TABLE ${schema}.${table} (LIKE identity.${table} INCLUDING ALL)`);
      }
    }
    await expect(
      swapGraph(db, sandbox, rebuilt, schemaName('previous'), async () => {
        throw new Error('the log grew while rebuilding');
      }),
    ).rejects.toThrow(/log grew/);
    const stillThere: { n: string }[] = await db.query(
      `SELECT count(*)::text AS n FROM information_schema.tables WHERE table_schema = $1`,
      [rebuilt],
    );
    expect(stillThere).toEqual([{ n: '3' }]);
  });
});
