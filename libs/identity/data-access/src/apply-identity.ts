import type { IdentityEvent, ProtectedIdentifier } from '@optstream/contracts';
import { DataKeyDestroyedError } from './data-key-store';
import { eraseContact } from './erase-contact';
import { asConflict, IdentityConflictError } from './pg-errors';
import type { Queryable } from './queryable';

/**
 * Applies one identity.v1 event to the graph inside the caller's transaction. Every statement states
 * what it expects to find (no row yet, the previous owner, an unmerged provisional contact); when it
 * does not, another writer got there first and the whole resolution is retried.
 */
export const applyIdentityEvent = async (q: Queryable, event: IdentityEvent): Promise<void> => {
  switch (event.kind) {
    case 'contact_registered':
      return register(q, event);
    case 'identifier_linked':
      return link(q, event, requireIdentifier(event));
    case 'identifier_reassigned':
      return reassign(q, event, requireIdentifier(event));
    case 'contacts_merged':
      return merge(q, event);
    case 'contact_erased':
      return eraseContact(q, event);
    case 'unknown':
      // A kind this resolver does not know (a newer producer): it never decides one itself.
      throw new Error(`the resolver does not apply ${event.kind} events`);
  }
};

/** Bumps a contact's version (creating it if an event names it before its registration). */
export const touchContact = async (q: Queryable, externalId: string, provisional: boolean): Promise<void> => {
  await q.query(
    `INSERT INTO identity.contacts (external_id, provisional) VALUES ($1, $2)
     ON CONFLICT (external_id) DO UPDATE SET version = identity.contacts.version + 1`,
    [externalId, provisional],
  );
};

const register = async (q: Queryable, event: IdentityEvent): Promise<void> => {
  // An erased contact's externalId named again: it stays erased (its key is gone), never re-created.
  // Checked first: after a failed INSERT the transaction could not ask any more.
  const existing: { erased: boolean }[] = await q.query(
    `SELECT erased FROM identity.contacts WHERE external_id = $1`,
    [event.externalId],
  );
  if (existing[0]?.erased) throw new DataKeyDestroyedError(event.externalId);
  try {
    await q.query(`INSERT INTO identity.contacts (external_id, provisional) VALUES ($1, $2)`, [
      event.externalId,
      event.provisional,
    ]);
  } catch (error) {
    throw asConflict(error, `contact ${event.externalId}`);
  }
};

const link = async (q: Queryable, event: IdentityEvent, id: ProtectedIdentifier): Promise<void> => {
  try {
    await q.query(
      `INSERT INTO identity.identifiers (kind, keyed_hash, external_id, sealed_value, data_key_id, event_id)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [id.kind, id.keyedHash, event.externalId, id.sealedValue, id.dataKeyId, event.eventId],
    );
  } catch (error) {
    throw asConflict(error, `${id.kind} identifier`);
  }
  await touchContact(q, event.externalId, event.provisional);
};

const reassign = async (q: Queryable, event: IdentityEvent, id: ProtectedIdentifier): Promise<void> => {
  const moved = await affected(
    q,
    `UPDATE identity.identifiers
        SET external_id = $3, sealed_value = $4, data_key_id = $5, event_id = $6
      WHERE kind = $1 AND keyed_hash = $2 AND external_id = $7`,
    [
      id.kind,
      id.keyedHash,
      event.externalId,
      id.sealedValue,
      id.dataKeyId,
      event.eventId,
      event.otherExternalId,
    ],
  );
  if (moved !== 1)
    throw new IdentityConflictError(`${id.kind} identifier no longer owned by the contact it moves from`);
  await touchContact(q, event.externalId, event.provisional);
  if (event.otherExternalId !== null) await touchContact(q, event.otherExternalId, false);
};

// The merged contact's identifiers keep their sealed values and data_key_id: they stay sealed under
// its key, so erasing the survivor must follow merge pointers (see the identity-domain README).
const merge = async (q: Queryable, event: IdentityEvent): Promise<void> => {
  const absorbed = event.otherExternalId;
  if (absorbed === null) throw new Error(`contacts_merged ${event.eventId} names no merged contact`);
  const merged = await affected(
    q,
    `UPDATE identity.contacts SET merged_into = $2, version = version + 1
      WHERE external_id = $1 AND provisional AND merged_into IS NULL AND NOT erased`,
    [absorbed, event.externalId],
  );
  if (merged !== 1)
    throw new IdentityConflictError(`contact ${absorbed} is no longer a live provisional contact`);
  await q.query(`UPDATE identity.identifiers SET external_id = $2 WHERE external_id = $1`, [
    absorbed,
    event.externalId,
  ]);
  await touchContact(q, event.externalId, event.provisional);
};

const requireIdentifier = (event: IdentityEvent): ProtectedIdentifier => {
  if (event.identifier === null) throw new Error(`${event.kind} ${event.eventId} carries no identifier`);
  return event.identifier;
};

// TypeORM's raw query of an UPDATE on postgres resolves to [rows, affectedCount].
const affected = async (q: Queryable, sql: string, params: unknown[]): Promise<number> => {
  const result: [unknown[], number] = await q.query(sql, params);
  return result[1];
};
