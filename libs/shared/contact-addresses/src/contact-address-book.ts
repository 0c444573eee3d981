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
  /** The contact the value was sealed for: differs from external_id after a merge (see below). */
  sealed_for: string;
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
        keys.get(row.sealed_for) ??
        this.masterKeys.unwrapKey({ blob: wrapped, context: { externalId: row.sealed_for } });
      keys.set(row.sealed_for, key);
      const value = open(
        await key,
        row.sealed_value,
        identifierAssociatedData(row.sealed_for, row.kind),
      ).toString('utf8');
      found.set(row.external_id, { ...found.get(row.external_id), [row.kind]: value });
    }
    return found;
  }

  private async rows(externalIds: readonly string[]): Promise<AddressRow[]> {
    // A merge moves a provisional contact's identifiers to the survivor but leaves them sealed under
    // the merged contact's key (bound to its id): open each value with the key that sealed it. A
    // contact may hold two of a kind after a merge; one deterministic pick is enough to address it.
    const result = await this.db.query(
      `SELECT DISTINCT ON (i.external_id, i.kind)
              i.external_id, k.external_id AS sealed_for, i.kind, i.sealed_value, k.wrapped_key
         FROM identity.identifiers i
         JOIN identity.data_keys k ON k.key_id = i.data_key_id
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
