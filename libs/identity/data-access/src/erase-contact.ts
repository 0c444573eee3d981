import { deadLetterKeyPrefix } from './data-key-store';
import type { Queryable } from './queryable';

/**
 * Carries out a `contact_erased` event inside the batch's transaction (writeBatch) (crypto-shredding, rule 9 of docs/architecture.md):
 * for the contact and every provisional contact merged into it (their sealed values moved with the
 * merge but stay under their own keys), keep only the keyed hashes of their addresses as suppression
 * memory, release the identifiers (a later fact from the same address is a new contact), mark the
 * contacts erased and destroy their data keys — and the keys of dead letters sealed under one of their
 * externalIds or address hashes (`deadLetterKeyOwner`). Idempotent: a second run finds nothing left to do.
 */
export const eraseContact = async (q: Queryable, externalId: string): Promise<void> => {
  const rows: { external_id: string }[] = await q.query(
    `WITH RECURSIVE absorbed(external_id) AS (
       SELECT external_id FROM identity.contacts WHERE external_id = $1
       UNION
       SELECT c.external_id FROM identity.contacts c JOIN absorbed a ON c.merged_into = a.external_id
     ) SELECT external_id FROM absorbed`,
    [externalId],
  );
  const ids = rows.map((r) => r.external_id);
  if (ids.length === 0) return;
  const hashes: { keyed_hash: string }[] = await q.query(
    `SELECT keyed_hash FROM identity.identifiers WHERE external_id = ANY($1::text[])`,
    [ids],
  );
  const deadLetterPrefixes = [...ids, ...hashes.map((h) => h.keyed_hash)].map(deadLetterKeyPrefix);
  await q.query(
    `INSERT INTO identity.erased_identifiers (kind, keyed_hash, external_id)
     SELECT kind, keyed_hash, $2 FROM identity.identifiers WHERE external_id = ANY($1::text[])
     ON CONFLICT DO NOTHING`,
    [ids, externalId],
  );
  await q.query(`DELETE FROM identity.identifiers WHERE external_id = ANY($1::text[])`, [ids]);
  await q.query(
    `UPDATE identity.contacts SET erased = true, version = version + 1 WHERE external_id = ANY($1::text[])`,
    [ids],
  );
  await q.query(
    `UPDATE identity.data_keys SET wrapped_key = NULL, destroyed_at = now()
      WHERE destroyed_at IS NULL
        AND (external_id = ANY($1::text[])
             OR (external_id LIKE 'dead-letter:%'
                 AND EXISTS (SELECT 1 FROM unnest($2::text[]) p WHERE starts_with(external_id, p))))`,
    [ids, deadLetterPrefixes],
  );
};
