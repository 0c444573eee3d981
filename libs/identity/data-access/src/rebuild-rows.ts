import { chunks } from './chunks';
import type { GraphWrites } from './graph-model';
import type { Queryable } from './queryable';

/** Bulk insert of a rebuild's contacts into `<schema>.contacts`. */
export const insertContacts = async (
  q: Queryable,
  rows: GraphWrites['newContacts'],
  schema: string,
): Promise<void> => {
  for (const chunk of chunks(rows)) {
    await q.query(
      `INSERT INTO ${schema}.contacts (external_id, provisional, merged_into, erased)
       SELECT * FROM unnest($1::text[], $2::boolean[], $3::text[], $4::boolean[])`,
      [
        chunk.map((c) => c.externalId),
        chunk.map((c) => c.provisional),
        chunk.map((c) => c.mergedInto),
        chunk.map((c) => c.erased),
      ],
    );
  }
};

/** Bulk insert of a rebuild's identifiers into `<schema>.identifiers`. */
export const insertIdentifiers = async (
  q: Queryable,
  rows: GraphWrites['newIdentifiers'],
  schema: string,
): Promise<void> => {
  for (const chunk of chunks(rows)) {
    await q.query(
      `INSERT INTO ${schema}.identifiers (kind, keyed_hash, external_id, sealed_value, data_key_id, event_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::text[], $6::text[])`,
      [
        chunk.map((r) => r.kind),
        chunk.map((r) => r.keyedHash),
        chunk.map((r) => r.externalId),
        chunk.map((r) => r.sealedValue),
        chunk.map((r) => r.dataKeyId),
        chunk.map((r) => r.eventId),
      ],
    );
  }
};
