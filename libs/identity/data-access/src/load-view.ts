import {
  identityView,
  type ContactNode,
  type IdentifierRef,
  type IdentityView,
} from '@optstream/identity-domain';
import { selectRows, type Queryable } from './queryable';

/** What a batch of facts (or one fact: a batch of one) names: externalIds and keyed identifiers. */
export interface BatchViewQuery {
  readonly externalIds: readonly string[];
  readonly identifiers: readonly IdentifierRef[];
}

/** The view a batch was decided on, with each contact's version at read time (checked under lock). */
export interface LoadedView {
  readonly view: IdentityView;
  readonly versions: ReadonlyMap<string, string>;
  /**
   * ExternalIds the query names that belong to erased contacts. They are not in the view (erasure
   * removes a contact, as evolve does), but one may never be registered again: its key is destroyed.
   */
  readonly erased: ReadonlySet<string>;
}

interface BatchContactRow {
  external_id: string;
  provisional: boolean;
  merged_into: string | null;
  version: string;
  erased: boolean;
  kinds: string[];
  hashes: string[];
}

/**
 * One round trip for a whole batch: the contacts its externalIds name and the owners of its
 * identifiers, every contact along their merge pointers (up to the survivor), each with all its
 * identifiers and its version. Erased contacts are left out of the view and reported in `erased`.
 * UNION (not UNION ALL) stops at contacts already visited, so even a corrupt cycle terminates.
 */
export const loadBatchView = async (q: Queryable, query: BatchViewQuery): Promise<LoadedView> => {
  if (query.externalIds.length === 0 && query.identifiers.length === 0) {
    return { view: identityView([]), versions: new Map(), erased: new Set() };
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
       SELECT c.external_id, c.provisional, c.merged_into, c.version, c.erased
         FROM identity.contacts c WHERE c.external_id IN (SELECT external_id FROM seeds)
       UNION
       SELECT c.external_id, c.provisional, c.merged_into, c.version, c.erased
         FROM identity.contacts c JOIN chain ON c.external_id = chain.merged_into
        WHERE NOT c.erased AND NOT chain.erased
     )
     SELECT ch.external_id, ch.provisional, ch.merged_into, ch.version::text AS version, ch.erased,
            coalesce(array_agg(i.kind) FILTER (WHERE i.kind IS NOT NULL), '{}') AS kinds,
            coalesce(array_agg(i.keyed_hash) FILTER (WHERE i.kind IS NOT NULL), '{}') AS hashes
       FROM chain ch LEFT JOIN identity.identifiers i ON i.external_id = ch.external_id
      GROUP BY ch.external_id, ch.provisional, ch.merged_into, ch.version, ch.erased`,
    [query.identifiers.map((r) => r.kind), query.identifiers.map((r) => r.keyedHash), [...query.externalIds]],
  );
  const live = rows.filter((r) => !r.erased);
  const nodes: ContactNode[] = live.map((r) => ({
    externalId: r.external_id,
    provisional: r.provisional,
    mergedInto: r.merged_into,
    identifiers: r.kinds.map((kind, i) => ({
      kind: kind as IdentifierRef['kind'],
      keyedHash: r.hashes[i] ?? '',
    })),
  }));
  return {
    view: identityView(nodes),
    versions: new Map(live.map((r) => [r.external_id, r.version])),
    erased: new Set(rows.filter((r) => r.erased).map((r) => r.external_id)),
  };
};
