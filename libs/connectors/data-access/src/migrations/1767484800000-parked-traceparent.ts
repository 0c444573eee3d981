import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trace a parked delivery belongs to: its retries (minutes later, from the parked-retry timer) continue
 * the trace of the state message that caused them, so a slow opt-out can be followed to the provider call
 * that finally delivered it.
 */
export class ParkedTraceparent1767484800000 implements MigrationInterface {
  name = 'ParkedTraceparent1767484800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SELECT pg_advisory_xact_lock(hashtext('optstream.connectors.migrations'))`);
    await q.query(`ALTER TABLE connectors.parked ADD COLUMN IF NOT EXISTS original_traceparent text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE connectors.parked DROP COLUMN IF EXISTS original_traceparent`);
  }
}
