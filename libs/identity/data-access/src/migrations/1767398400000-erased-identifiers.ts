import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Suppression memory of erased contacts: only the keyed hash of each address they held (never the
 * value), so an erased person who opted out can still be recognised and never contacted again, while
 * the address itself is forgotten with the destroyed data key.
 */
export class ErasedIdentifiers1767398400000 implements MigrationInterface {
  name = 'ErasedIdentifiers1767398400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SELECT pg_advisory_xact_lock(hashtext('optstream.identity.migrations'))`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS identity.erased_identifiers (
        kind         text NOT NULL,
        keyed_hash   text NOT NULL,
        external_id  text NOT NULL,
        erased_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, keyed_hash, external_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS identity.erased_identifiers`);
  }
}
