import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The latest emitted preference is kept per contact, channel AND topic ('' = the whole channel), with
 * its evidence and pending expiry, so a merge re-emits a topic opt-out as a topic opt-out (not as a
 * channel-wide one) and with the strength of evidence it had. Rows written before keep topic ''.
 */
export class EmittedPreferenceTopics1767484800000 implements MigrationInterface {
  name = 'EmittedPreferenceTopics1767484800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SELECT pg_advisory_xact_lock(hashtext('optstream.identity.migrations'))`);
    await q.query(`
      ALTER TABLE identity.emitted_preferences
        ADD COLUMN IF NOT EXISTS topic text NOT NULL DEFAULT '',
        ADD COLUMN IF NOT EXISTS evidence jsonb,
        ADD COLUMN IF NOT EXISTS pending_expires_at bigint`);
    await q.query(
      `ALTER TABLE identity.emitted_preferences DROP CONSTRAINT IF EXISTS emitted_preferences_pkey`,
    );
    await q.query(`ALTER TABLE identity.emitted_preferences ADD PRIMARY KEY (external_id, channel, topic)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM identity.emitted_preferences WHERE topic <> ''`);
    await q.query(
      `ALTER TABLE identity.emitted_preferences DROP CONSTRAINT IF EXISTS emitted_preferences_pkey`,
    );
    await q.query(`ALTER TABLE identity.emitted_preferences ADD PRIMARY KEY (external_id, channel)`);
    await q.query(`
      ALTER TABLE identity.emitted_preferences
        DROP COLUMN IF EXISTS topic, DROP COLUMN IF EXISTS evidence, DROP COLUMN IF EXISTS pending_expires_at`);
  }
}
