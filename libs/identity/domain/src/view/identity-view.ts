import { compareRefs, identifierKey, type IdentifierRef } from '../identifiers';

/** One contact of the identity graph as far as one decision needs it. */
export interface ContactNode {
  /** Our database UUID, or a derived id for a provisional contact. Immutable. */
  readonly externalId: string;
  /** Created from an unknown address; the only kind of contact that is ever merged automatically. */
  readonly provisional: boolean;
  /** Set once this contact was merged into another; its identifiers then belong to the survivor. */
  readonly mergedInto: string | null;
  /** Sorted by kind, then hash (see compareRefs). Keyed hashes only, never values. */
  readonly identifiers: readonly IdentifierRef[];
}

/**
 * The subset of the identity graph relevant to one inbound fact: the owners of its identifiers and
 * those owners' identifiers (the service loads it from the projection), or the whole graph when a
 * test or a rebuild folds a log. Maps rather than records so untrusted ids ("__proto__") are plain keys.
 */
export interface IdentityView {
  /** externalId → contact. */
  readonly contacts: ReadonlyMap<string, ContactNode>;
  /** identifierKey → externalId of the owning contact. Derived from `contacts`, kept for O(1) lookups. */
  readonly owners: ReadonlyMap<string, string>;
}

export const emptyIdentityView = (): IdentityView => ({ contacts: new Map(), owners: new Map() });

/**
 * Builds a view from contacts (e.g. rows loaded by the service). An identifier listed under two
 * contacts breaks the graph's core invariant (the Postgres unique constraint on kind + hash): throw,
 * rather than resolve against an arbitrary owner.
 */
export const identityView = (nodes: readonly ContactNode[]): IdentityView => {
  const contacts = new Map<string, ContactNode>();
  const owners = new Map<string, string>();
  for (const node of nodes) {
    contacts.set(node.externalId, { ...node, identifiers: [...node.identifiers].sort(compareRefs) });
    for (const ref of node.identifiers) {
      const key = identifierKey(ref);
      const previous = owners.get(key);
      if (previous !== undefined && previous !== node.externalId) {
        throw new Error(
          `identity view: ${ref.kind} identifier owned by both ${previous} and ${node.externalId}`,
        );
      }
      owners.set(key, node.externalId);
    }
  }
  return { contacts, owners };
};

// Merges only ever go provisional → survivor, so chains are short; the bound guards a corrupt view.
const MAX_MERGE_HOPS = 32;

/**
 * The live contact for an externalId: follows merge pointers to the survivor. null when unknown, or
 * when the chain ends at a contact that is no longer in the view (erased).
 */
export const survivorOf = (view: IdentityView, externalId: string): ContactNode | null => {
  let node = view.contacts.get(externalId);
  for (let hops = 0; node !== undefined && hops < MAX_MERGE_HOPS; hops += 1) {
    if (node.mergedInto === null) return node;
    node = view.contacts.get(node.mergedInto);
  }
  return null;
};

/** The live contact that currently owns an identifier, or null when nobody does. */
export const ownerOf = (view: IdentityView, ref: IdentifierRef): ContactNode | null => {
  const owner = view.owners.get(identifierKey(ref));
  return owner === undefined ? null : survivorOf(view, owner);
};
