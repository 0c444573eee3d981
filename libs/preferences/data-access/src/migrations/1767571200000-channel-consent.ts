import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The consent model (docs/consent-model.md): each channel_state row also holds the channel's slots —
 * channel-wide and per topic — as jsonb. Rows written before it keep `consent` null and read as one
 * explicit, millisecond-precise channel-wide winner, which is what they were. A channel with topic
 * choices only has status 'unknown' (no channel-wide winner).
 *
 * history.detail keeps what precedence and proof of consent need from each event (topic, evidence,
 * pendingExpiresAt, occurredAtPrecision, originalOccurredAt), so as-of folds the history exactly as the
 * projection folded the log. Null for rows written before: their events had none of these fields.
 */
export class ChannelConsent1767571200000 implements MigrationInterface {
  name = 'ChannelConsent1767571200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE preferences.channel_state ADD COLUMN consent jsonb`);
    await q.query(`ALTER TABLE preferences.history ADD COLUMN detail jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE preferences.history DROP COLUMN detail`);
    await q.query(`ALTER TABLE preferences.channel_state DROP COLUMN consent`);
  }
}
