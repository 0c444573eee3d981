import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trace of the change behind each outbox entry: a state published by the partition's next owner
 * after a crash continues the trace of the preference event that caused it, as a live publish does.
 */
export class OutboxTraceparent1767484800000 implements MigrationInterface {
  name = 'OutboxTraceparent1767484800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE preferences.state_outbox ADD COLUMN IF NOT EXISTS traceparent text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE preferences.state_outbox DROP COLUMN IF EXISTS traceparent`);
  }
}
