import { identifierAssociatedData, open, type MasterKeyProvider } from '@optstream/pii-crypto';

/** Runs SQL and returns rows; a pg Pool, a pg Client or a TypeORM DataSource/EntityManager all fit. */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface ContactAddresses {
  readonly email?: string;
  /** E.164. */
  readonly phone?: string;
}

interface AddressRow {
  external_id: string;
  kind: 'email' | 'phone';
  sealed_value: Buffer | null;
  wrapped_key: Buffer | null;
}

/**
 * The one narrow door from the connectors into the identity store: the email and phone of contacts,
 * decrypted with each contact's own data key. It reads, never writes, and returns nothing for an erased
 * contact (its key was destroyed, so its sealed values cannot be opened any more — by design).
 *
 * Why not the state topic: `contact-preferences.state.v1` is kept and replayed by other services, so it
 * carries no personal data; only connectors keyed by address (SendGrid, Mailchimp, Attentive) come here.
 */
export class ContactAddressBook {
  constructor(
    private readonly db: SqlRunner,
    private readonly masterKeys: MasterKeyProvider,
  ) {}

  /** Addresses per externalId, in one query for the whole batch; contacts without any are absent. */
  async addressesOf(externalIds: readonly string[]): Promise<Map<string, ContactAddresses>> {
    const found = new Map<string, { email?: string; phone?: string }>();
    if (externalIds.length === 0) return found;
    const rows = await this.rows(externalIds);
    const keys = new Map<string, Promise<Buffer>>();
    for (const row of rows) {
      if (row.sealed_value === null || row.wrapped_key === null) continue;
      const wrapped = row.wrapped_key;
      const key =
        keys.get(row.external_id) ??
        this.masterKeys.unwrapKey({ blob: wrapped, context: { externalId: row.external_id } });
      keys.set(row.external_id, key);
      const value = open(
        await key,
        row.sealed_value,
        identifierAssociatedData(row.external_id, row.kind),
      ).toString('utf8');
      found.set(row.external_id, { ...found.get(row.external_id), [row.kind]: value });
    }
    return found;
  }

  private async rows(externalIds: readonly string[]): Promise<AddressRow[]> {
    // A contact owns at most one identifier of each kind in practice; if history left two, the
    // latest linked one (highest event id order is not time order, so take any deterministic one).
    const result = await this.db.query(
      `SELECT DISTINCT ON (i.external_id, i.kind)
              i.external_id, i.kind, i.sealed_value, k.wrapped_key
         FROM identity.identifiers i
         JOIN identity.data_keys k ON k.external_id = i.external_id
        WHERE i.external_id = ANY($1::text[]) AND i.kind IN ('email', 'phone')
        ORDER BY i.external_id, i.kind, i.event_id`,
      [externalIds],
    );
    return rowsOf<AddressRow>(result);
  }
}

/** pg returns {rows}; TypeORM returns the rows array. */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}
