import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What each connector delivered to each provider, and what it parked. Both are keyed by
 * (connector, provider, contact): per contact only the newest state matters, so a newer version
 * replaces an older one in place — that is how a newer state supersedes a parked one.
 */
export class ConnectorDeliveries1767312000000 implements MigrationInterface {
  name = 'ConnectorDeliveries1767312000000';

  async up(q: QueryRunner): Promise<void> {
    // Three connector apps may start at once against one database; TypeORM does not lock migrations.
    await q.query(`SELECT pg_advisory_xact_lock(hashtext('optstream.connectors.migrations'))`);
    await q.query(`CREATE SCHEMA IF NOT EXISTS connectors`);
    // fingerprint: what of the consent this provider can represent; equal fingerprint = no-op delivery.
    await q.query(`
      CREATE TABLE IF NOT EXISTS connectors.deliveries (
        connector    text NOT NULL,
        provider     text NOT NULL,
        external_id  text NOT NULL,
        version      bigint NOT NULL,
        fingerprint  text NOT NULL,
        delivered_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connector, provider, external_id)
      )`);
    // The parking lot: a contact whose delivery kept failing, with the state message's original bytes
    // (Avro, no personal data) so the final dead-letter record carries the exact input.
    await q.query(`
      CREATE TABLE IF NOT EXISTS connectors.parked (
        connector        text NOT NULL,
        provider         text NOT NULL,
        external_id      text NOT NULL,
        version          bigint NOT NULL,
        consent          jsonb NOT NULL,
        original_topic   text NOT NULL,
        original_partition int NOT NULL,
        original_offset  text NOT NULL,
        original_key     bytea,
        original_value   bytea,
        attempts         int NOT NULL,
        first_failed_at  timestamptz NOT NULL,
        last_failed_at   timestamptz NOT NULL,
        next_attempt_at  timestamptz NOT NULL,
        last_error       text NOT NULL,
        PRIMARY KEY (connector, provider, external_id)
      )`);
    await q.query(
      `CREATE INDEX IF NOT EXISTS parked_due_idx ON connectors.parked (connector, next_attempt_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA IF EXISTS connectors CASCADE`);
  }
}
