import { randomUUID } from 'node:crypto';
import { generateDataKey, type MasterKeyProvider } from '@optstream/pii-crypto';
import { selectRows, type Queryable } from './queryable';

export interface DataKey {
  readonly keyId: string;
  readonly key: Buffer;
}

/** The contact's data key was destroyed (erasure): nothing may be sealed for it any more. */
export class DataKeyDestroyedError extends Error {
  readonly code = 'DATA_KEY_DESTROYED';
  readonly retriable = false;
  constructor(externalId: string) {
    super(`data key of contact ${externalId} was destroyed (erased contact)`);
    this.name = 'DataKeyDestroyedError';
  }
}

/**
 * Who owns the key a dead letter of an unknown person is sealed with: the fact's strongest identifier
 * (an externalId, or the keyed hash of an address, as `identity.identifiers` holds it) and the dead
 * letter's position, so each dead letter has its own key. `eraseContact` destroys every key owned by
 * one of the erased contact's identifiers.
 */
export const deadLetterKeyOwner = (identifier: string, position: string): string =>
  `${deadLetterKeyPrefix(identifier)}${position}`;

export const deadLetterKeyPrefix = (identifier: string): string => `dead-letter:${identifier}:`;

interface Row {
  key_id: string;
  wrapped_key: Buffer | null;
}

/**
 * Per-contact data keys, stored only wrapped by the master key (bound to the contact's externalId).
 * One key per contact for its whole life: destroying it is the erasure, so it is never re-created.
 */
export class DataKeyStore {
  constructor(
    private readonly db: Queryable,
    private readonly masterKeys: MasterKeyProvider,
  ) {}

  /**
   * The contact's key, created on first use. Two resolvers creating it at once both insert with
   * ON CONFLICT DO NOTHING and then read the one row that won, so both seal under the same key.
   */
  async keyFor(externalId: string): Promise<DataKey> {
    const existing = await this.find(externalId);
    if (existing !== null) return this.unwrap(externalId, existing);
    const wrapped = await this.masterKeys.wrapKey(generateDataKey(), { externalId });
    await this.db.query(
      `INSERT INTO identity.data_keys (key_id, external_id, wrapped_key, master_key_id)
       VALUES ($1, $2, $3, $4) ON CONFLICT (external_id) DO NOTHING`,
      [`dk-${randomUUID()}`, externalId, wrapped.blob, this.masterKeys.keyId],
    );
    const stored = await this.find(externalId);
    if (stored === null) throw new Error(`data key of ${externalId} vanished right after it was stored`);
    return this.unwrap(externalId, stored);
  }

  /**
   * The keys of many contacts at once (created on first use, as keyFor): one read, one bulk insert of
   * the missing keys (ON CONFLICT DO NOTHING: a racing replica's key wins), one read of those. Throws
   * DataKeyDestroyedError when any of them was destroyed.
   */
  async keysFor(externalIds: readonly string[]): Promise<Map<string, DataKey>> {
    const wanted = [...new Set(externalIds)];
    const found = await this.findMany(wanted);
    const missing = wanted.filter((id) => !found.has(id));
    if (missing.length > 0) {
      const wrapped = await Promise.all(
        missing.map((externalId) => this.masterKeys.wrapKey(generateDataKey(), { externalId })),
      );
      await this.db.query(
        `INSERT INTO identity.data_keys (key_id, external_id, wrapped_key, master_key_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::text[])
         ON CONFLICT (external_id) DO NOTHING`,
        [
          missing.map(() => `dk-${randomUUID()}`),
          missing,
          wrapped.map((w) => w.blob),
          missing.map(() => this.masterKeys.keyId),
        ],
      );
      for (const [id, row] of await this.findMany(missing)) found.set(id, row);
    }
    const keys = new Map<string, DataKey>();
    for (const externalId of wanted) {
      const row = found.get(externalId);
      if (row === undefined) throw new Error(`data key of ${externalId} vanished right after it was stored`);
      keys.set(externalId, await this.unwrap(externalId, row));
    }
    return keys;
  }

  /** A key by id (to open a sealed value), or null when unknown. Throws when it was destroyed. */
  async keyById(keyId: string): Promise<DataKey | null> {
    const rows = await selectRows<Row & { external_id: string }>(
      this.db,
      `SELECT key_id, wrapped_key, external_id FROM identity.data_keys WHERE key_id = $1`,
      [keyId],
    );
    const row = rows[0];
    return row === undefined ? null : this.unwrap(row.external_id, row);
  }

  /** Crypto-shredding: the wrapped key is overwritten; every value sealed under it becomes unreadable. */
  async destroy(externalId: string): Promise<boolean> {
    const result: [unknown[], number] = await this.db.query(
      `UPDATE identity.data_keys SET wrapped_key = NULL, destroyed_at = now()
        WHERE external_id = $1 AND destroyed_at IS NULL`,
      [externalId],
    );
    return result[1] === 1;
  }

  private async find(externalId: string): Promise<Row | null> {
    const rows = await selectRows<Row>(
      this.db,
      `SELECT key_id, wrapped_key FROM identity.data_keys WHERE external_id = $1`,
      [externalId],
    );
    return rows[0] ?? null;
  }

  private async findMany(externalIds: readonly string[]): Promise<Map<string, Row>> {
    if (externalIds.length === 0) return new Map();
    const rows = await selectRows<Row & { external_id: string }>(
      this.db,
      `SELECT key_id, wrapped_key, external_id FROM identity.data_keys WHERE external_id = ANY($1::text[])`,
      [[...externalIds]],
    );
    return new Map(rows.map((r) => [r.external_id, r]));
  }

  private async unwrap(externalId: string, row: Row): Promise<DataKey> {
    if (row.wrapped_key === null) throw new DataKeyDestroyedError(externalId);
    const key = await this.masterKeys.unwrapKey({ blob: row.wrapped_key, context: { externalId } });
    return { keyId: row.key_id, key };
  }
}
