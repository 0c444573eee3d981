import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { MarketingPreferenceUpdated } from '@optstream/contracts';
import { foldEvents } from '@optstream/preferences-domain';
import { testDatabaseUrl, uniqueName } from '@optstream/testing';
import { DataSource } from 'typeorm';
import {
  allocateVersion,
  applyPreferenceBatch,
  dropVersion,
  loadStates,
  PreferencesReadModel,
  setActiveVersion,
  type ProjectionTarget,
} from '../src';
import { PREFERENCES_DATABASE } from '../src/database';

jest.setTimeout(120_000);

const CONTACTS = [randomUUID(), randomUUID()];
const base = 1_767_225_600_000;

const eventArb = fc.record({
  eventId: fc.constantFrom(
    ...Array.from({ length: 12 }, (_, i) => `00000000-0000-5000-8000-${String(i).padStart(12, '0')}`),
  ),
  contact: fc.integer({ min: 0, max: CONTACTS.length - 1 }),
  channel: fc.constantFrom('email' as const, 'sms' as const, 'push' as const),
  newStatus: fc.constantFrom('subscribed' as const, 'unsubscribed' as const),
  // Few distinct instants, so exact ties (unsubscribed wins, then eventId) happen often.
  at: fc.integer({ min: 0, max: 3 }),
});

/** The same eventId always carries the same fact (it is derived from the source), like in the log. */
const toEvent = (
  e: {
    eventId: string;
    contact: number;
    channel: 'email' | 'sms' | 'push';
    newStatus: 'subscribed' | 'unsubscribed';
    at: number;
  },
  facts: Map<string, MarketingPreferenceUpdated>,
): MarketingPreferenceUpdated => {
  const known = facts.get(e.eventId);
  if (known) return known;
  const event: MarketingPreferenceUpdated = {
    eventId: e.eventId,
    externalId: CONTACTS[e.contact] ?? '',
    channel: e.channel,
    newStatus: e.newStatus,
    sourceOfChange: 'Test',
    source: { system: 'optstream_api', providerEventRef: `ref-${e.eventId}` },
    occurredAt: base + e.at * 1000,
    recordedAt: base + 10_000,
    causationId: e.eventId,
  };
  facts.set(e.eventId, event);
  return event;
};

describe('applyPreferenceBatch against real PostgreSQL', () => {
  let db: DataSource;
  const projection = uniqueName('test-apply');
  const versions: number[] = [];
  const target = (version: number): ProjectionTarget => ({
    projection,
    version,
    fenceActiveVersion: false,
    useOutbox: false,
  });

  beforeAll(async () => {
    // The same migrations the app runs through @optstream/postgres (which this library may not import).
    db = new DataSource({
      type: 'postgres',
      url: testDatabaseUrl(),
      synchronize: false,
      migrationsTableName: PREFERENCES_DATABASE.migrationsTableName,
      migrations: [...PREFERENCES_DATABASE.migrations],
      extra: { max: 4 },
    });
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
  });
  afterAll(async () => {
    for (const v of versions) await dropVersion(db, v);
    await db.destroy();
  });

  it('any split into partitions, batches and redeliveries gives the state of folding the set once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 1, maxLength: 25 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        async (raw, batchSizes, redeliver) => {
          const facts = new Map<string, MarketingPreferenceUpdated>();
          const events = raw.map((e) => toEvent(e, facts));
          const version = await allocateVersion(db);
          versions.push(version);
          // Each contact in its own partition (keyed by externalId), batches cut at random sizes.
          for (const [partition, contact] of CONTACTS.entries()) {
            const log = events
              .filter((e) => e.externalId === contact)
              .map((value, i) => ({ offset: String(i), value }));
            let at = 0;
            let cut = 0;
            while (at < log.length) {
              const size = batchSizes[cut++ % batchSizes.length] ?? 1;
              const slice = log.slice(at, at + size);
              await applyPreferenceBatch(db, target(version), { topic: 't', partition, events: slice });
              // A redelivered batch (crash after commit, before Kafka saw it) must change nothing.
              if (redeliver) {
                const again = await applyPreferenceBatch(db, target(version), {
                  topic: 't',
                  partition,
                  events: slice,
                });
                expect(again.applied).toBe(0);
                expect(again.changed).toEqual([]);
              }
              at += size;
            }
          }
          const states = await db.transaction((tx) => loadStates(tx, version, CONTACTS));
          for (const contact of CONTACTS) {
            const expected = foldEvents(events.filter((e) => e.externalId === contact)).state;
            expect(states.get(contact) ?? null).toEqual(expected);
          }
          const distinct = new Set(events.map((e) => e.eventId)).size;
          const historyRows: { n: string }[] = await db.query(
            `SELECT count(*) AS n FROM preferences.history WHERE projection_version = $1`,
            [version],
          );
          expect(Number(historyRows[0]?.n)).toBe(distinct);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('the read model serves the active version only, and a swap changes what it serves at once', async () => {
    const read = new PreferencesReadModel(db, projection);
    const id = CONTACTS[0] ?? '';
    const built = await allocateVersion(db);
    const empty = await allocateVersion(db);
    versions.push(built, empty);
    const event = toEvent(
      { eventId: randomUUID(), contact: 0, channel: 'sms', newStatus: 'unsubscribed', at: 1 },
      new Map(),
    );
    await applyPreferenceBatch(db, target(built), {
      topic: 't',
      partition: 0,
      events: [{ offset: '0', value: event }],
    });
    await db.transaction((tx) => setActiveVersion(tx, projection, built));
    expect((await read.contact(id))?.state.channels.sms).toMatchObject({
      status: 'unsubscribed',
      eventId: event.eventId,
    });
    await db.transaction((tx) => setActiveVersion(tx, projection, empty));
    expect(await read.contact(id)).toBeNull();
  });
});
