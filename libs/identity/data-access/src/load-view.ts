import type { IdentifierKind } from '@optstream/contracts';
import {
  identityView,
  type ContactNode,
  type IdentifierRef,
  type IdentityView,
} from '@optstream/identity-domain';
import { selectRows, type Queryable } from './queryable';

export interface ViewQuery {
  readonly externalId: string | null;
  readonly identifiers: readonly IdentifierRef[];
}

/** The view a decision was made on, with each contact's version at read time (checked at commit). */
export interface LoadedView {
  readonly view: IdentityView;
  readonly versions: ReadonlyMap<string, string>;
}

interface ContactRow {
  external_id: string;
  provisional: boolean;
  merged_into: string | null;
  version: string;
}

interface IdentifierRow {
  kind: IdentifierKind;
  keyed_hash: string;
  external_id: string;
}

/**
 * Loads what one inbound fact's decision needs: the contact its externalId names, the owners of its
 * identifiers, every contact along their merge pointers (up to the survivor), and all identifiers of
 * those contacts. Erased contacts are left out, as evolve removes them.
 */
export const loadIdentityView = async (q: Queryable, query: ViewQuery): Promise<LoadedView> => {
  const owners = await selectRows<{ external_id: string }>(
    q,
    `SELECT i.external_id
       FROM identity.identifiers i
       JOIN unnest($1::text[], $2::text[]) AS wanted(kind, keyed_hash) USING (kind, keyed_hash)`,
    [query.identifiers.map((r) => r.kind), query.identifiers.map((r) => r.keyedHash)],
  );
  const seeds = [
    ...new Set([...(query.externalId ? [query.externalId] : []), ...owners.map((o) => o.external_id)]),
  ];
  if (seeds.length === 0) return { view: identityView([]), versions: new Map() };
  // UNION (not UNION ALL) stops at contacts already visited, so even a corrupt cycle terminates.
  const contacts = await selectRows<ContactRow>(
    q,
    `WITH RECURSIVE chain AS (
       SELECT external_id, provisional, merged_into, version
         FROM identity.contacts WHERE external_id = ANY($1::text[]) AND NOT erased
       UNION
       SELECT c.external_id, c.provisional, c.merged_into, c.version
         FROM identity.contacts c JOIN chain ON c.external_id = chain.merged_into
        WHERE NOT c.erased
     )
     SELECT external_id, provisional, merged_into, version::text AS version FROM chain`,
    [seeds],
  );
  const ids = contacts.map((c) => c.external_id);
  const identifiers = await selectRows<IdentifierRow>(
    q,
    `SELECT kind, keyed_hash, external_id FROM identity.identifiers WHERE external_id = ANY($1::text[])`,
    [ids],
  );
  const nodes: ContactNode[] = contacts.map((c) => ({
    externalId: c.external_id,
    provisional: c.provisional,
    mergedInto: c.merged_into,
    identifiers: identifiers
      .filter((i) => i.external_id === c.external_id)
      .map((i) => ({ kind: i.kind, keyedHash: i.keyed_hash })),
  }));
  return {
    view: identityView(nodes),
    versions: new Map(contacts.map((c) => [c.external_id, c.version])),
  };
};
