import type { EntityManager } from 'typeorm';

/**
 * Orders the state topic between an erasure and the state messages of the same contact. The erasure
 * takes these locks in the transaction that marks the contact erased, and publishes its tombstone
 * before that transaction commits; a state publisher takes them, leaves out contacts already erased and
 * publishes while it holds them. So a contact's state is published before its tombstone or not at all:
 * no subscriber (the connectors above all) sees an erased contact come back. Transaction-scoped advisory
 * locks, taken in key order so two holders never deadlock; per projection version.
 */
export async function lockContactStates(
  tx: EntityManager,
  version: number,
  externalIds: readonly string[],
): Promise<void> {
  if (externalIds.length === 0) return;
  await tx.query(
    `SELECT pg_advisory_xact_lock(k) FROM (
       SELECT DISTINCT hashtextextended($1 || ':' || id, 0) AS k FROM unnest($2::text[]) AS id ORDER BY k
     ) AS keys`,
    [`optstream.state.${version}`, [...new Set(externalIds)]],
  );
}

/** Which of these contacts are erased in this projection version. */
export async function erasedContacts(
  tx: EntityManager,
  version: number,
  externalIds: readonly string[],
): Promise<Set<string>> {
  if (externalIds.length === 0) return new Set();
  const rows: { external_id: string }[] = await tx.query(
    `SELECT external_id FROM preferences.contacts
      WHERE projection_version = $1 AND external_id = ANY($2::text[]) AND erased_at IS NOT NULL`,
    [version, [...new Set(externalIds)]],
  );
  return new Set(rows.map((r) => r.external_id));
}
