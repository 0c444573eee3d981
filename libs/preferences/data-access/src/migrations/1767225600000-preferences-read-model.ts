import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The preferences read model. Every projection table is LIST-partitioned by `projection_version`:
 * a rebuild allocates a new version, gets fresh, empty partitions (see `createVersionPartitions`),
 * replays the log into them, and the swap is one UPDATE of `projections.active_version`. Retiring an
 * old version is a DROP of its partitions (instant), not a DELETE of millions of rows.
 *
 * Projection names namespace the versions (a sequence hands out versions globally), so tests and
 * side-by-side benchmarks can run their own projection in the same database without seeing each other.
 */
export class PreferencesReadModel1767225600000 implements MigrationInterface {
  name = 'PreferencesReadModel1767225600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS preferences`);
    await q.query(`CREATE SEQUENCE preferences.projection_version_seq`);
    await q.query(`
      CREATE TABLE preferences.projections (
        projection     text PRIMARY KEY,
        active_version integer NOT NULL,
        swapped_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE preferences.channel_state (
        projection_version integer NOT NULL,
        external_id        text NOT NULL,
        channel            text NOT NULL,
        status             text NOT NULL,
        occurred_at        timestamptz(3) NOT NULL,
        event_id           text NOT NULL,
        source_of_change   text NOT NULL,
        source_system      text NOT NULL,
        provider_event_ref text NOT NULL,
        PRIMARY KEY (projection_version, external_id, channel)
      ) PARTITION BY LIST (projection_version)`);
    // Audiences and suppressions scan one channel's status in external_id order (keyset pagination).
    await q.query(`
      CREATE INDEX channel_state_audience_idx
        ON preferences.channel_state (projection_version, channel, status, external_id)`);
    await q.query(`
      CREATE TABLE preferences.contacts (
        projection_version integer NOT NULL,
        external_id        text NOT NULL,
        version            bigint NOT NULL DEFAULT 0,
        provisional        boolean NOT NULL DEFAULT false,
        updated_at         timestamptz(3) NOT NULL,
        merged_into        text,
        erased_at          timestamptz(3),
        PRIMARY KEY (projection_version, external_id)
      ) PARTITION BY LIST (projection_version)`);
    await q.query(`
      CREATE TABLE preferences.identifiers (
        projection_version integer NOT NULL,
        kind               text NOT NULL,
        keyed_hash         text NOT NULL,
        external_id        text NOT NULL,
        occurred_at        timestamptz(3) NOT NULL,
        event_id           text NOT NULL,
        PRIMARY KEY (projection_version, kind, keyed_hash)
      ) PARTITION BY LIST (projection_version)`);
    await q.query(`
      CREATE INDEX identifiers_contact_idx ON preferences.identifiers (projection_version, external_id)`);
    await q.query(`
      CREATE TABLE preferences.history (
        projection_version integer NOT NULL,
        event_id           text NOT NULL,
        external_id        text NOT NULL,
        channel            text NOT NULL,
        status             text NOT NULL,
        occurred_at        timestamptz(3) NOT NULL,
        recorded_at        timestamptz(3) NOT NULL,
        source_of_change   text NOT NULL,
        source_system      text NOT NULL,
        provider_event_ref text NOT NULL,
        causation_id       text NOT NULL,
        effect             text,
        source_topic       text NOT NULL,
        source_partition   integer NOT NULL,
        source_offset      bigint NOT NULL,
        PRIMARY KEY (projection_version, event_id)
      ) PARTITION BY LIST (projection_version)`);
    await q.query(`
      CREATE INDEX history_contact_idx
        ON preferences.history (projection_version, external_id, occurred_at)`);
    // Offsets are NOT partitioned: a version's checkpoints are few rows, kept for audit after a swap.
    await q.query(`
      CREATE TABLE preferences.consumer_offsets (
        projection_version integer NOT NULL,
        topic              text NOT NULL,
        partition          integer NOT NULL,
        next_offset        bigint NOT NULL,
        updated_at         timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (projection_version, topic, partition)
      )`);
    // Contacts whose new state is committed but not yet acknowledged by Kafka (transactional outbox):
    // a crash between commit and publish would otherwise lose the state message for good.
    await q.query(`
      CREATE TABLE preferences.state_outbox (
        projection_version integer NOT NULL,
        external_id        text NOT NULL,
        topic              text NOT NULL,
        partition          integer NOT NULL,
        causation_id       text NOT NULL,
        PRIMARY KEY (projection_version, external_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA preferences CASCADE`);
  }
}
