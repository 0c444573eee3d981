import type { EntityManager } from 'typeorm';

/**
 * Orders the state topic between an erasure and the state messages of the same contact. The erasure
 * takes these locks in the transaction that marks the contact erased, and publishes its tombstone
 * before that transaction commits; a state publisher takes them, leaves out contacts already erased and
 * publishes while it holds them. So a contact's state is published before its tombstone or not at all:
 * no subscriber (the connectors above all) sees an erased contact come back. Transaction-scoped advisory
 * locks, taken in key order so two holders never deadlock. The key is the contact alone, not the
 * projection version: the state topic is one, and during a rebuild's swap an instance still publishing
 * for the old version must wait for an erasure applied to the new one.
 */
export async function lockContactStates(tx: EntityManager, externalIds: readonly string[]): Promise<void> {
  if (externalIds.length === 0) return;
  await tx.query(
    `SELECT pg_advisory_xact_lock(k) FROM (
       SELECT DISTINCT hashtextextended('optstream.state:' || id, 0) AS k FROM unnest($1::text[]) AS id ORDER BY k
     ) AS keys`,
    [[...new Set(externalIds)]],
  );
}

/**
 * Which of these contacts are erased, in this projection version or in the projection's active one (a
 * publisher of the old version across a swap sees the erasure the new version applied). One query per
 * version, each naming its version as a value: the planner then touches only that version's partition
 * (a query that finds the version through a subquery would lock every version's partition, and deadlock
 * with a rebuild dropping an old one).
 */
export async function erasedContacts(
  tx: EntityManager,
  target: { readonly projection: string; readonly version: number },
  externalIds: readonly string[],
): Promise<Set<string>> {
  if (externalIds.length === 0) return new Set();
  const active: { active_version: number | null }[] = await tx.query(
    `SELECT active_version FROM preferences.projections WHERE projection = $1`,
    [target.projection],
  );
  const versions = new Set([target.version, active[0]?.active_version ?? target.version]);
  const erased = new Set<string>();
  for (const version of versions) {
    const rows: { external_id: string }[] = await tx.query(
      `SELECT external_id FROM preferences.contacts
        WHERE projection_version = $1 AND external_id = ANY($2::text[]) AND erased_at IS NOT NULL`,
      [version, [...new Set(externalIds)]],
    );
    for (const r of rows) erased.add(r.external_id);
  }
  return erased;
}
