import { eraseContact } from './erase-contact';
import {
  latestPerContactChannelTopic,
  preferenceColumns,
  upsertPreferences,
} from './emitted-preference-rows';
import type { GraphWrites } from './graph-model';
import { IdentityConflictError } from './pg-errors';
import { selectRows, type Queryable } from './queryable';
import { insertResolutions, outboxValues, OUTBOX_ROWS_PER_STATEMENT } from './outbox-rows';
import type { Resolution } from './resolutions';

/**
 * Writes a whole batch inside withLockedView's transaction in ONE statement (data-modifying CTEs, one
 * round trip): new contacts; version bumps of the touched contacts, merging those the batch merged
 * (only a live provisional contact); new identifiers; moved identifiers (each from the owner it
 * expects); the emitted preferences; the outbox rows. Counts are checked; anything not as expected
 * (a taken unique key, a merge or move that found something else) throws IdentityConflictError.
 * Then the contacts the batch erased are erased (`eraseContact`).
 */
export const writeBatch = async (
  q: Queryable,
  writes: GraphWrites,
  resolutions: readonly Resolution[],
): Promise<void> => {
  const merges = new Map(writes.merges.map((m) => [m.externalId, m.into]));
  const touched = [...new Set([...writes.touched, ...merges.keys()])];
  const prefs = latestPerContactChannelTopic(resolutions.flatMap((r) => r.preferenceEvents));
  const moved = writes.movedIdentifiers;
  const params: unknown[] = [
    writes.newContacts.map((c) => c.externalId),
    writes.newContacts.map((c) => c.provisional),
    writes.newContacts.map((c) => c.mergedInto),
    touched,
    touched.map((id) => merges.get(id) ?? null),
    writes.newIdentifiers.map((r) => r.kind),
    writes.newIdentifiers.map((r) => r.keyedHash),
    writes.newIdentifiers.map((r) => r.externalId),
    writes.newIdentifiers.map((r) => r.sealedValue),
    writes.newIdentifiers.map((r) => r.dataKeyId),
    writes.newIdentifiers.map((r) => r.eventId),
    moved.map((r) => r.kind),
    moved.map((r) => r.keyedHash),
    moved.map((r) => r.before),
    moved.map((r) => r.externalId),
    moved.map((r) => r.write !== null),
    moved.map((r) => r.write?.sealedValue ?? null),
    moved.map((r) => r.write?.dataKeyId ?? null),
    moved.map((r) => r.write?.eventId ?? null),
    ...preferenceColumns(prefs),
  ];
  const inline = resolutions.slice(0, OUTBOX_ROWS_PER_STATEMENT);
  const outbox = outboxValues(inline, params);
  const rows = await selectRows<{ touched: string; merged: string; moved: string }>(
    q,
    `WITH new_contacts AS (
       INSERT INTO identity.contacts (external_id, provisional, merged_into)
       SELECT * FROM unnest($1::text[], $2::boolean[], $3::text[])
       RETURNING 1
     ), touched AS (
       UPDATE identity.contacts c
          SET version = c.version + 1, merged_into = coalesce(u.into_id, c.merged_into)
         FROM unnest($4::text[], $5::text[]) AS u(external_id, into_id)
        WHERE c.external_id = u.external_id
          AND (u.into_id IS NULL OR (c.provisional AND c.merged_into IS NULL AND NOT c.erased))
       RETURNING u.into_id
     ), new_identifiers AS (
       INSERT INTO identity.identifiers (kind, keyed_hash, external_id, sealed_value, data_key_id, event_id)
       SELECT * FROM unnest($6::text[], $7::text[], $8::text[], $9::bytea[], $10::text[], $11::text[])
       RETURNING 1
     ), moved AS (
       UPDATE identity.identifiers i SET
          external_id  = m.external_id,
          sealed_value = CASE WHEN m.rewrite THEN m.sealed_value ELSE i.sealed_value END,
          data_key_id  = CASE WHEN m.rewrite THEN m.data_key_id ELSE i.data_key_id END,
          event_id     = CASE WHEN m.rewrite THEN m.event_id ELSE i.event_id END
         FROM unnest($12::text[], $13::text[], $14::text[], $15::text[], $16::boolean[], $17::bytea[], $18::text[], $19::text[])
           AS m(kind, keyed_hash, before_id, external_id, rewrite, sealed_value, data_key_id, event_id)
        WHERE i.kind = m.kind AND i.keyed_hash = m.keyed_hash AND i.external_id = m.before_id
       RETURNING 1
     ), preferences AS (
       ${upsertPreferences('identity', 20)}
       RETURNING 1
     )${
       outbox === null
         ? ''
         : `, outbox AS (
       INSERT INTO identity.resolutions (inbound_event_id, identity_events, preference_events)
       VALUES ${outbox}
       RETURNING 1
     )`
     }
     SELECT (SELECT count(*) FROM touched)::text AS touched,
            (SELECT count(*) FROM touched WHERE into_id IS NOT NULL)::text AS merged,
            (SELECT count(*) FROM moved)::text AS moved`,
    params,
  );
  const counts = rows[0];
  if (Number(counts?.touched) !== touched.length || Number(counts?.merged) !== merges.size) {
    throw new IdentityConflictError('a contact the batch merges is no longer a live provisional contact');
  }
  if (Number(counts?.moved) !== moved.length) {
    throw new IdentityConflictError('an identifier moved by the batch is no longer owned as read');
  }
  if (resolutions.length > inline.length) await insertResolutions(q, resolutions.slice(inline.length));
  for (const externalId of writes.erased) await eraseContact(q, externalId);
};
