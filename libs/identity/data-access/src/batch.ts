import type { MarketingPreferenceUpdated } from '@optstream/contracts';
import { identityView, type ContactNode, type IdentifierRef } from '@optstream/identity-domain';
import {
  decodeIdentityEvent,
  decodePreferenceEvent,
  encodeIdentityEvent,
  encodePreferenceEvent,
} from './event-bytes';
import { supersedes, type EmittedPreference } from './emitted-preferences';
import type { GraphWrites } from './graph-model';
import type { LoadedView } from './load-view';
import { asConflict, IdentityConflictError } from './pg-errors';
import { selectRows, type Queryable } from './queryable';
import type { Resolution, StoredResolution } from './resolutions';

export interface BatchViewQuery {
  readonly externalIds: readonly string[];
  readonly identifiers: readonly IdentifierRef[];
}

interface BatchContactRow {
  external_id: string;
  provisional: boolean;
  merged_into: string | null;
  version: string;
  kinds: string[];
  hashes: string[];
}

/**
 * One round trip for a whole batch: the contacts its externalIds name and the owners of its
 * identifiers, every contact along their merge pointers, each with all its identifiers and its version.
 * The same contacts `loadIdentityView` would load fact by fact, in one query. Erased contacts are left out.
 */
export const loadBatchView = async (q: Queryable, query: BatchViewQuery): Promise<LoadedView> => {
  if (query.externalIds.length === 0 && query.identifiers.length === 0) {
    return { view: identityView([]), versions: new Map() };
  }
  const rows = await selectRows<BatchContactRow>(
    q,
    `WITH RECURSIVE seeds AS (
       SELECT i.external_id
         FROM identity.identifiers i
         JOIN unnest($1::text[], $2::text[]) AS wanted(kind, keyed_hash) USING (kind, keyed_hash)
       UNION
       SELECT unnest($3::text[])
     ), chain AS (
       SELECT c.external_id, c.provisional, c.merged_into, c.version
         FROM identity.contacts c WHERE c.external_id IN (SELECT external_id FROM seeds) AND NOT c.erased
       UNION
       SELECT c.external_id, c.provisional, c.merged_into, c.version
         FROM identity.contacts c JOIN chain ON c.external_id = chain.merged_into
        WHERE NOT c.erased
     )
     SELECT ch.external_id, ch.provisional, ch.merged_into, ch.version::text AS version,
            coalesce(array_agg(i.kind) FILTER (WHERE i.kind IS NOT NULL), '{}') AS kinds,
            coalesce(array_agg(i.keyed_hash) FILTER (WHERE i.kind IS NOT NULL), '{}') AS hashes
       FROM chain ch LEFT JOIN identity.identifiers i ON i.external_id = ch.external_id
      GROUP BY ch.external_id, ch.provisional, ch.merged_into, ch.version`,
    [query.identifiers.map((r) => r.kind), query.identifiers.map((r) => r.keyedHash), [...query.externalIds]],
  );
  const nodes: ContactNode[] = rows.map((r) => ({
    externalId: r.external_id,
    provisional: r.provisional,
    mergedInto: r.merged_into,
    identifiers: r.kinds.map((kind, i) => ({
      kind: kind as IdentifierRef['kind'],
      keyedHash: r.hashes[i] ?? '',
    })),
  }));
  return { view: identityView(nodes), versions: new Map(rows.map((r) => [r.external_id, r.version])) };
};

/** The stored outcomes of those inbound facts that were already resolved, by inbound eventId. */
export const findResolutions = async (
  q: Queryable,
  inboundEventIds: readonly string[],
): Promise<Map<string, StoredResolution>> => {
  if (inboundEventIds.length === 0) return new Map();
  const rows = await selectRows<{
    inbound_event_id: string;
    identity_events: Buffer[];
    preference_events: Buffer[];
    published: boolean;
  }>(
    q,
    `SELECT inbound_event_id, identity_events, preference_events, published_at IS NOT NULL AS published
       FROM identity.resolutions WHERE inbound_event_id = ANY($1::text[])`,
    [[...inboundEventIds]],
  );
  return new Map(
    rows.map((r) => [
      r.inbound_event_id,
      {
        inboundEventId: r.inbound_event_id,
        identityEvents: r.identity_events.map(decodeIdentityEvent),
        preferenceEvents: r.preference_events.map(decodePreferenceEvent),
        published: r.published,
      },
    ]),
  );
};

/** The latest emitted preference per channel of each contact (channel order), for re-emits after merges. */
export const emittedPreferencesOf = async (
  q: Queryable,
  externalIds: readonly string[],
): Promise<Map<string, EmittedPreference[]>> => {
  const out = new Map<string, EmittedPreference[]>();
  if (externalIds.length === 0) return out;
  const rows = await selectRows<{
    external_id: string;
    channel: EmittedPreference['channel'];
    event_id: string;
    new_status: EmittedPreference['newStatus'];
    source_of_change: string;
    source_system: EmittedPreference['source']['system'];
    provider_event_ref: string;
    occurred_at: string;
  }>(
    q,
    `SELECT * FROM identity.emitted_preferences WHERE external_id = ANY($1::text[]) ORDER BY external_id, channel`,
    [[...externalIds]],
  );
  for (const r of rows) {
    const list = out.get(r.external_id) ?? [];
    list.push({
      eventId: r.event_id,
      externalId: r.external_id,
      channel: r.channel,
      newStatus: r.new_status,
      sourceOfChange: r.source_of_change,
      source: { system: r.source_system, providerEventRef: r.provider_event_ref },
      occurredAt: Number(r.occurred_at),
    });
    out.set(r.external_id, list);
  }
  return out;
};

interface Transactional {
  transaction<T>(work: (q: Queryable) => Promise<T>): Promise<T>;
}

/**
 * Runs `work` in ONE transaction on a view that cannot change under it: the batch's view is loaded,
 * its contacts are locked (FOR UPDATE, in id order, so concurrent batches cannot deadlock on them) and
 * their versions compared with what was loaded; if a contact moved between the read and the lock, the
 * view is read again under the locks. Every writer locks the contacts it read before writing, so the
 * only thing that can still collide is a NEW row (a contact or identifier inserted meanwhile by
 * another writer): its unique key throws IdentityConflictError and nothing of the batch is kept.
 *
 * Pessimistic rather than optimistic (as commitResolution is): partitions resolved concurrently share
 * contacts (one person's email-keyed and externalId-keyed facts), and a batch of hundreds of facts
 * that lost a version race would redo all of them.
 */
export const withLockedView = async <T>(
  db: Transactional,
  query: BatchViewQuery,
  work: (q: Queryable, readAt: LoadedView) => Promise<T>,
): Promise<T> =>
  db.transaction(async (q) => {
    let readAt = await loadBatchView(q, query);
    for (let round = 0; ; round += 1) {
      const moved = await lockAndCompare(q, readAt.versions);
      if (!moved) break;
      if (round >= 3) throw new IdentityConflictError('the batch view kept moving while being locked');
      readAt = await loadBatchView(q, query);
    }
    try {
      return await work(q, readAt);
    } catch (error) {
      throw asConflict(error, 'batch');
    }
  });

const lockAndCompare = async (q: Queryable, versions: ReadonlyMap<string, string>): Promise<boolean> => {
  if (versions.size === 0) return false;
  const rows = await selectRows<{ external_id: string; version: string }>(
    q,
    `SELECT external_id, version::text AS version FROM identity.contacts
      WHERE external_id = ANY($1::text[]) ORDER BY external_id FOR UPDATE`,
    [[...versions.keys()]],
  );
  const now = new Map(rows.map((r) => [r.external_id, r.version]));
  return [...versions].some(([id, version]) => now.get(id) !== version);
};

/**
 * Writes a whole batch inside withLockedView's transaction in ONE statement (data-modifying CTEs, one
 * round trip): new contacts; version bumps of the touched contacts, merging those the batch merged
 * (only a live provisional contact); new identifiers; moved identifiers (each from the owner it
 * expects); the emitted preferences; the outbox rows. Counts are checked; anything not as expected
 * (a taken unique key, a merge or move that found something else) throws IdentityConflictError.
 */
export const writeBatch = async (
  q: Queryable,
  writes: GraphWrites,
  resolutions: readonly Resolution[],
): Promise<void> => {
  const merges = new Map(writes.merges.map((m) => [m.externalId, m.into]));
  const touched = [...new Set([...writes.touched, ...merges.keys()])];
  const prefs = latestPerContactAndChannel(resolutions.flatMap((r) => r.preferenceEvents));
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
};

// The outbox rows ride in the same statement as multi-row VALUES (3 parameters each, well under
// Postgres's 65,535); a bigger batch sends the rest in further statements.
const OUTBOX_ROWS_PER_STATEMENT = 5_000;

const outboxValues = (resolutions: readonly Resolution[], params: unknown[]): string | null => {
  if (resolutions.length === 0) return null;
  return resolutions
    .map((r) => {
      params.push(
        r.inboundEventId,
        r.identityEvents.map(encodeIdentityEvent),
        r.preferenceEvents.map(encodePreferenceEvent),
      );
      const n = params.length;
      return `($${n - 2}, $${n - 1}::bytea[], $${n}::bytea[])`;
    })
    .join(', ');
};

/** One statement cannot update a row twice: the batch is reduced by the log's rule first. */
const latestPerContactAndChannel = (
  events: readonly MarketingPreferenceUpdated[],
): MarketingPreferenceUpdated[] => {
  const latest = new Map<string, MarketingPreferenceUpdated>();
  for (const e of events) {
    const key = `${e.externalId}\u0000${e.channel}`;
    const current = latest.get(key);
    if (current === undefined || supersedes(e, current)) latest.set(key, e);
  }
  return [...latest.values()];
};

const preferenceColumns = (events: readonly MarketingPreferenceUpdated[]): unknown[] => [
  events.map((e) => e.externalId),
  events.map((e) => e.channel),
  events.map((e) => e.eventId),
  events.map((e) => e.newStatus),
  events.map((e) => e.sourceOfChange),
  events.map((e) => e.source.system),
  events.map((e) => e.source.providerEventRef),
  events.map((e) => e.occurredAt),
];

// The stored row is replaced only by a later one (rememberPreference's rule), whatever the arrival order.
const upsertPreferences = (schema: string, first: number): string => {
  const p = (i: number) => `$${first + i}`;
  return `INSERT INTO ${schema}.emitted_preferences AS p
         (external_id, channel, event_id, new_status, source_of_change, source_system, provider_event_ref, occurred_at)
       SELECT * FROM unnest(${p(0)}::text[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::text[], ${p(5)}::text[], ${p(6)}::text[], ${p(7)}::bigint[])
       ON CONFLICT (external_id, channel) DO UPDATE SET
         event_id = EXCLUDED.event_id, new_status = EXCLUDED.new_status,
         source_of_change = EXCLUDED.source_of_change, source_system = EXCLUDED.source_system,
         provider_event_ref = EXCLUDED.provider_event_ref, occurred_at = EXCLUDED.occurred_at
       WHERE (EXCLUDED.occurred_at, EXCLUDED.new_status = 'unsubscribed', EXCLUDED.event_id)
           > (p.occurred_at, p.new_status = 'unsubscribed', p.event_id)`;
};

/** After Kafka acknowledged the outputs of these facts. */
export const markPublishedMany = async (q: Queryable, inboundEventIds: readonly string[]): Promise<void> => {
  if (inboundEventIds.length === 0) return;
  await q.query(
    `UPDATE identity.resolutions SET published_at = now()
      WHERE inbound_event_id = ANY($1::text[]) AND published_at IS NULL`,
    [[...inboundEventIds]],
  );
};

/** Bulk insert of contacts into `<schema>.contacts` (the live schema, or a rebuild's). */
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

/** Bulk insert of identifiers into `<schema>.identifiers`. */
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

/** Remembers the latest emitted preference per (contact, channel) in `<schema>` (see rememberPreference). */
export const rememberPreferences = async (
  q: Queryable,
  events: readonly MarketingPreferenceUpdated[],
  schema: string,
): Promise<void> => {
  for (const chunk of chunks(latestPerContactAndChannel(events))) {
    await q.query(upsertPreferences(schema, 1), preferenceColumns(chunk));
  }
};

const insertResolutions = async (q: Queryable, resolutions: readonly Resolution[]): Promise<void> => {
  // Each row holds two arrays, which unnest cannot carry: a multi-row VALUES, 3 parameters a row.
  for (const chunk of chunks(resolutions, 5_000)) {
    const params: unknown[] = [];
    const values = chunk.map((r) => {
      params.push(
        r.inboundEventId,
        r.identityEvents.map(encodeIdentityEvent),
        r.preferenceEvents.map(encodePreferenceEvent),
      );
      const n = params.length;
      return `($${n - 2}, $${n - 1}::bytea[], $${n}::bytea[])`;
    });
    await q.query(
      `INSERT INTO identity.resolutions (inbound_event_id, identity_events, preference_events)
       VALUES ${values.join(', ')}`,
      params,
    );
  }
};

function* chunks<T>(rows: readonly T[], size = 10_000): Generator<readonly T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}
