import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The identity graph (a projection of identity.v1) plus the resolver's own bookkeeping. The unique
 * keys ARE the rules: one owner per (kind, keyed_hash), one row per contact, one data key per contact,
 * one resolution per inbound fact. Two resolver replicas racing on the same identifier or contact hit
 * one of them, roll back and resolve again against the fresh graph.
 *
 * `IF NOT EXISTS` and the advisory lock make a concurrent first start (two replicas, parallel test
 * workers) converge instead of failing half-way: TypeORM has no lock around its migrations.
 */
export class IdentityGraph1767225600000 implements MigrationInterface {
  name = 'IdentityGraph1767225600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SELECT pg_advisory_xact_lock(hashtext('optstream.identity.migrations'))`);
    await q.query(`CREATE SCHEMA IF NOT EXISTS identity`);
    // version: bumped by every write that concerns the contact (identifiers, merges, preferences), so a
    // resolution decided on a stale read of it is detected at commit (optimistic concurrency).
    await q.query(`
      CREATE TABLE IF NOT EXISTS identity.contacts (
        external_id  text PRIMARY KEY,
        provisional  boolean NOT NULL,
        merged_into  text,
        erased       boolean NOT NULL DEFAULT false,
        version      bigint NOT NULL DEFAULT 1,
        created_at   timestamptz NOT NULL DEFAULT now(),
        CHECK (merged_into IS NULL OR merged_into <> external_id)
      )`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS identity.identifiers (
        kind          text NOT NULL,
        keyed_hash    text NOT NULL,
        external_id   text NOT NULL,
        sealed_value  bytea,
        data_key_id   text,
        event_id      text NOT NULL,
        CONSTRAINT identifiers_one_owner UNIQUE (kind, keyed_hash)
      )`);
    await q.query(`CREATE INDEX IF NOT EXISTS identifiers_owner_idx ON identity.identifiers (external_id)`);
    // wrapped_key is NULLed on erasure (crypto-shredding); the row stays so the key is never re-created.
    await q.query(`
      CREATE TABLE IF NOT EXISTS identity.data_keys (
        key_id         text PRIMARY KEY,
        external_id    text NOT NULL UNIQUE,
        wrapped_key    bytea,
        master_key_id  text NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        destroyed_at   timestamptz,
        CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL))
      )`);
    // The outbox: what the resolver decided for each inbound fact, Avro-encoded without framing, so a
    // redelivered fact publishes exactly these bytes again instead of deciding against a newer graph.
    await q.query(`
      CREATE TABLE IF NOT EXISTS identity.resolutions (
        inbound_event_id   text PRIMARY KEY,
        identity_events    bytea[] NOT NULL,
        preference_events  bytea[] NOT NULL,
        resolved_at        timestamptz NOT NULL DEFAULT now(),
        published_at       timestamptz
      )`);
    // The latest preference the resolver itself emitted per contact and channel: what a merge re-emits
    // for the survivor. Kept here so the resolver does not depend on the preference projector.
    await q.query(`
      CREATE TABLE IF NOT EXISTS identity.emitted_preferences (
        external_id        text NOT NULL,
        channel            text NOT NULL,
        event_id           text NOT NULL,
        new_status         text NOT NULL,
        source_of_change   text NOT NULL,
        source_system      text NOT NULL,
        provider_event_ref text NOT NULL,
        occurred_at        bigint NOT NULL,
        PRIMARY KEY (external_id, channel)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA IF EXISTS identity CASCADE`);
  }
}
