import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import {
  generateDataKey,
  identifierAssociatedData,
  LocalMasterKeyProvider,
  seal,
  type IdentifierKind,
} from '@optstream/pii-crypto';

/**
 * Contacts' addresses in the identity store, sealed the way the resolver seals them, so the connector's
 * address lookup (libs/shared/contact-addresses) opens them with the master key the connector runs with.
 */
export class IdentityFixture {
  private readonly pool: Pool;
  private readonly masterKeys: LocalMasterKeyProvider;

  constructor(databaseUrl: string, masterKeyBase64: string) {
    this.pool = new Pool({ connectionString: databaseUrl, max: 2 });
    this.masterKeys = new LocalMasterKeyProvider({ activeKeyId: 'test', keys: { test: masterKeyBase64 } });
  }

  /** The resolver's columns (the tables may already exist in the shared test database). */
  async ready(): Promise<void> {
    await this.pool.query(`SELECT pg_advisory_lock(hashtext('optstream.identity.migrations'))`);
    try {
      await this.pool.query(`CREATE SCHEMA IF NOT EXISTS identity`);
      await this.pool.query(`CREATE TABLE IF NOT EXISTS identity.identifiers (
        kind text NOT NULL, keyed_hash text NOT NULL, external_id text NOT NULL, sealed_value bytea,
        data_key_id text, event_id text NOT NULL, UNIQUE (kind, keyed_hash))`);
      await this.pool.query(`CREATE TABLE IF NOT EXISTS identity.data_keys (
        key_id text PRIMARY KEY, external_id text NOT NULL UNIQUE, wrapped_key bytea,
        master_key_id text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), destroyed_at timestamptz)`);
    } finally {
      await this.pool.query(`SELECT pg_advisory_unlock(hashtext('optstream.identity.migrations'))`);
    }
  }

  async store(externalId: string, values: Partial<Record<IdentifierKind, string>>): Promise<void> {
    const dataKey = generateDataKey();
    const wrapped = await this.masterKeys.wrapKey(dataKey, { externalId });
    const keyId = `dk-${externalId}`;
    await this.pool.query(
      `INSERT INTO identity.data_keys (key_id, external_id, wrapped_key, master_key_id) VALUES ($1,$2,$3,$4)`,
      [keyId, externalId, wrapped.blob, this.masterKeys.keyId],
    );
    for (const [kind, value] of Object.entries(values) as [IdentifierKind, string][]) {
      await this.pool.query(
        `INSERT INTO identity.identifiers (kind, keyed_hash, external_id, sealed_value, data_key_id, event_id)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          kind,
          `hash-${randomUUID()}`,
          externalId,
          seal(dataKey, value, identifierAssociatedData(externalId, kind)),
          keyId,
          `evt-${randomUUID()}`,
        ],
      );
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
