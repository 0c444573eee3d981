import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type { MarketingPreferenceUpdated } from '@optstream/contracts';
import { activeVersion, dropVersion } from '@optstream/preferences-data-access';
import { AvroCodec } from '@optstream/kafka';
import { waitFor } from '@optstream/testing';
import type { DataSource } from 'typeorm';
import { openProjectorDatabase } from '../src/projector-runtime';
import { rebuildProjection } from '../src/rebuild/rebuild-projection';
import { ProjectorHarness, snapshot } from './projector-harness';

jest.setTimeout(120_000);

/** The schema the release before the consent model (git commit 2b310d9) wrote with. */
const RELEASED_SCHEMA = JSON.parse(
  readFileSync(
    join(
      __dirname,
      '../../../libs/shared/contracts/test/released-0.1.0/marketing-preference-updated.v1.avsc',
    ),
    'utf8',
  ),
) as object;

/** A log that release wrote (fixtures/release-0.1.0-log.json says how it was made). */
const LOG = (
  JSON.parse(readFileSync(join(__dirname, 'fixtures/release-0.1.0-log.json'), 'utf8')) as {
    events: MarketingPreferenceUpdated[];
  }
).events;

type Old = Pick<MarketingPreferenceUpdated, 'occurredAt' | 'newStatus' | 'eventId'>;

/**
 * The ordering of that release (2b310d9: libs/preferences/domain/src/latest-wins.ts), copied as the
 * oracle: later occurredAt; exact tie → unsubscribed; still tied → greater eventId.
 */
const oldCompare = (a: Old, b: Old): number => {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt > b.occurredAt ? 1 : -1;
  if (a.newStatus !== b.newStatus) return a.newStatus === 'unsubscribed' ? 1 : -1;
  if (a.eventId === b.eventId) return 0;
  return a.eventId > b.eventId ? 1 : -1;
};

/** What the old projector made of the log: each channel's winner, each distinct event's effect. */
function oldProjection(log: readonly MarketingPreferenceUpdated[]) {
  const winners = new Map<string, MarketingPreferenceUpdated>();
  const effects = new Map<string, string>();
  const versions = new Map<string, number>();
  for (const event of log) {
    if (effects.has(event.eventId)) continue;
    const key = `${event.externalId}/${event.channel}`;
    const current = winners.get(key);
    versions.set(event.externalId, (versions.get(event.externalId) ?? 0) + 1);
    if (current !== undefined && oldCompare(event, current) <= 0) {
      effects.set(event.eventId, 'older');
      continue;
    }
    effects.set(event.eventId, current?.newStatus === event.newStatus ? 'same_status' : 'changed');
    winners.set(key, event);
  }
  return { winners, effects, versions };
}

/**
 * The consent model's contract (docs/consent-model.md, "The contract"): a log written by the release before the consent model replays into the new
 * model unchanged — encoded with the old schema through the real registry, projected live by today's
 * projector and rebuilt from offset 0, both equal to what the old rules imply. And the other way round:
 * a consumer built from the old schema decodes today's events.
 */
describe('a log of the previous release (2b310d9) in the consent model', () => {
  const h = new ProjectorHarness();
  let db: DataSource;
  const contacts = [...new Set(LOG.map((e) => e.externalId))];

  beforeAll(async () => {
    // The old release registered its schema first and wrote the log; today's release registers its
    // schema as the next version of the subject (BACKWARD) when it starts.
    const oldCodec = AvroCodec.fromConfig(h.config);
    await oldCodec.register(h.config.PREFERENCES_TOPIC, RELEASED_SCHEMA);
    await h.prepare();
    for (const event of LOG)
      await h.publishRaw(event.externalId, await oldCodec.encode(h.config.PREFERENCES_TOPIC, event));
    await h.start();
    db = await openProjectorDatabase(h.config, 'previous-release-test');
  });
  afterAll(async () => {
    await h.stop();
    await db?.destroy();
  });

  async function channelRows(version: number) {
    return (await db.query(
      `SELECT external_id, channel, status, (extract(epoch from occurred_at) * 1000)::float8 AS occurred_at,
              event_id, source_of_change, source_system, provider_event_ref
         FROM preferences.channel_state WHERE projection_version = $1 AND external_id = ANY($2)
        ORDER BY external_id, channel`,
      [version, contacts],
    )) as Record<string, unknown>[];
  }

  it('projects live and rebuilds into exactly the read model the old rules give', async () => {
    const expected = oldProjection(LOG);
    await waitFor(
      async () => {
        const rows: { n: string }[] = await db.query(
          `SELECT count(*) AS n FROM preferences.history h JOIN preferences.projections p
             ON p.projection = $1 AND h.projection_version = p.active_version`,
          [h.config.PROJECTION_NAME],
        );
        return Number(rows[0]?.n) === expected.effects.size;
      },
      { description: `${expected.effects.size} history rows in the live model` },
    );
    const live = (await activeVersion(db, h.config.PROJECTION_NAME)) ?? -1;

    const winners = [...expected.winners.values()]
      .map((e) => ({
        external_id: e.externalId,
        channel: e.channel,
        status: e.newStatus,
        occurred_at: e.occurredAt,
        event_id: e.eventId,
        source_of_change: e.sourceOfChange,
        source_system: e.source.system,
        provider_event_ref: e.source.providerEventRef,
      }))
      .sort((a, b) =>
        a.external_id === b.external_id
          ? a.channel.localeCompare(b.channel)
          : a.external_id < b.external_id
            ? -1
            : 1,
      );
    expect(await channelRows(live)).toEqual(winners);
    // Ties and late deliveries are in the log: the comparison above covers every effect.
    expect(new Set(expected.effects.values())).toEqual(new Set(['changed', 'same_status', 'older']));
    const history: { event_id: string; effect: string; detail: unknown }[] = await db.query(
      `SELECT event_id, effect, detail FROM preferences.history WHERE projection_version = $1 ORDER BY event_id`,
      [live],
    );
    expect(history).toEqual(
      [...expected.effects.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([eventId, effect]) => ({ event_id: eventId, effect, detail: null })),
    );
    const versions: { external_id: string; version: string }[] = await db.query(
      `SELECT external_id, version FROM preferences.contacts WHERE projection_version = $1`,
      [live],
    );
    expect(Object.fromEntries(versions.map((v) => [v.external_id, Number(v.version)]))).toEqual(
      Object.fromEntries(expected.versions),
    );

    const rebuilt = await rebuildProjection(h.config, db);
    expect(rebuilt.records).toBe(LOG.length);
    expect(await snapshot(db, rebuilt.version)).toEqual(await snapshot(db, live));
    await dropVersion(db, live);
  });

  it('a consumer built from the old schema decodes the events today’s release writes', async () => {
    const today: MarketingPreferenceUpdated = {
      eventId: randomUUID(),
      externalId: randomUUID(),
      channel: 'email',
      newStatus: 'pending',
      pendingExpiresAt: Date.parse('2026-12-31T00:00:00Z'),
      topic: 'newsletter',
      evidence: { strength: 'explicit', kind: 'signup_form', trust: 'server', collectionPoint: 'footer' },
      occurredAtPrecision: 'second',
      sourceOfChange: 'Newsletter Signup',
      source: { system: 'optstream_api', providerEventRef: 'ref-today' },
      occurredAt: Date.parse('2026-12-01T10:00:00Z'),
      recordedAt: Date.parse('2026-12-01T10:00:01Z'),
      causationId: randomUUID(),
    };
    const bytes = await h.codec.encode(h.config.PREFERENCES_TOPIC, today);
    const oldConsumer = new SchemaRegistry({ host: h.config.SCHEMA_REGISTRY_URL });
    const decoded: unknown = await oldConsumer.decode(bytes, {
      [SchemaType.AVRO]: { readerSchema: RELEASED_SCHEMA as never },
    });
    // The old reader knows no `pending` (its enum default), no topic, no evidence: nothing else changes.
    expect(decoded).toEqual({
      eventId: today.eventId,
      externalId: today.externalId,
      channel: 'email',
      newStatus: 'unknown',
      sourceOfChange: 'Newsletter Signup',
      source: today.source,
      occurredAt: today.occurredAt,
      recordedAt: today.recordedAt,
      causationId: today.causationId,
    });
  });
});
