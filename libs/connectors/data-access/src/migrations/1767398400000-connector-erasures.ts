import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What each provider answered when asked to delete an erased person: deleted, or why not (no such API,
 * keyed by a shredded address). The erasure report for a data-subject request reads this table.
 */
export class ConnectorErasures1767398400000 implements MigrationInterface {
  name = 'ConnectorErasures1767398400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SELECT pg_advisory_xact_lock(hashtext('optstream.connectors.migrations'))`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS connectors.erasures (
        connector    text NOT NULL,
        provider     text NOT NULL,
        external_id  text NOT NULL,
        outcome      text NOT NULL,
        reason       text,
        recorded_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (connector, provider, external_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS connectors.erasures`);
  }
}
