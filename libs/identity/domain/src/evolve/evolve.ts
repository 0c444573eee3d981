import type { IdentityEvent } from '@optstream/contracts';
import { compareRefs, identifierKey, toRef, type IdentifierRef } from '../identifiers';
import type { ContactNode, IdentityView } from '../view';
import { assertNever } from '../assert-never';

/**
 * What evolve needs of an identity event. Both a decoded identity.v1 event (ProtectedIdentifier) and
 * an IdentityDecision (PlainIdentifier) fit, so the service folds its own decisions and a rebuild
 * folds the log with the same function. Only kind + hash are kept; sealed or plain values are dropped.
 */
export type IdentityChange = Pick<
  IdentityEvent,
  'kind' | 'externalId' | 'provisional' | 'otherExternalId'
> & {
  readonly identifier: IdentifierRef | null;
};

/**
 * Applies one identity event. Every case is idempotent (re-applying leaves the view unchanged) and
 * events of different contacts with disjoint identifiers commute, so a rebuild gives the same graph
 * in any partition interleaving. An event referencing a contact not yet seen creates it from the
 * event's own `provisional` flag, which is why link-before-register folds to the same graph too.
 */
export const evolve = (view: IdentityView, event: IdentityChange): IdentityView => {
  switch (event.kind) {
    case 'contact_registered':
      return view.contacts.has(event.externalId) ? view : putContact(view, newContact(event));
    case 'identifier_linked':
    case 'identifier_reassigned':
      // Same effect: the identifier is owned by externalId afterwards. Reassigned only records, for
      // audit, that it was taken from otherExternalId by an explicit identify.
      return event.identifier === null ? view : assign(view, event.identifier, event);
    case 'contacts_merged':
      return event.otherExternalId === null || event.otherExternalId === event.externalId
        ? view
        : merge(view, event.otherExternalId, event);
    case 'contact_erased':
      return erase(view, event.externalId);
    case 'unknown':
      // A kind this reader does not know yet (Avro enum default): skip rather than stall the fold.
      return view;
    default:
      return assertNever(event.kind, 'identity event kind');
  }
};

const newContact = (event: Pick<IdentityChange, 'externalId' | 'provisional'>): ContactNode => ({
  externalId: event.externalId,
  provisional: event.provisional,
  mergedInto: null,
  identifiers: [],
});

const putContact = (view: IdentityView, node: ContactNode): IdentityView => ({
  contacts: new Map(view.contacts).set(node.externalId, node),
  owners: view.owners,
});

const assign = (view: IdentityView, ref: IdentifierRef, to: IdentityChange): IdentityView => {
  const key = identifierKey(ref);
  const previous = view.owners.get(key);
  const target = view.contacts.get(to.externalId) ?? newContact(to);
  if (previous === to.externalId && view.contacts.has(to.externalId)) return view;
  const contacts = new Map(view.contacts);
  const owners = new Map(view.owners);
  const from = previous === undefined ? undefined : contacts.get(previous);
  if (from !== undefined) {
    contacts.set(from.externalId, { ...from, identifiers: without(from.identifiers, key) });
  }
  contacts.set(to.externalId, { ...target, identifiers: withRef(target.identifiers, ref) });
  owners.set(key, to.externalId);
  return { contacts, owners };
};

const merge = (view: IdentityView, otherId: string, survivorEvent: IdentityChange): IdentityView => {
  // Only provisional contacts are ever merged, so a merged contact this view has not seen was one.
  const other = view.contacts.get(otherId) ?? newContact({ externalId: otherId, provisional: true });
  // Move every identifier of the merged contact to the survivor, then leave a pointer behind so a
  // fact still naming the merged id (e.g. its re-emitted history) resolves to the survivor.
  let next = view.contacts.has(survivorEvent.externalId) ? view : putContact(view, newContact(survivorEvent));
  for (const ref of other.identifiers) next = assign(next, ref, survivorEvent);
  const emptied = next.contacts.get(otherId) ?? other;
  return putContact(next, { ...emptied, identifiers: [], mergedInto: survivorEvent.externalId });
};

const erase = (view: IdentityView, externalId: string): IdentityView => {
  const node = view.contacts.get(externalId);
  if (node === undefined) return view;
  const contacts = new Map(view.contacts);
  const owners = new Map(view.owners);
  contacts.delete(externalId);
  for (const ref of node.identifiers) owners.delete(identifierKey(ref));
  return { contacts, owners };
};

const without = (refs: readonly IdentifierRef[], key: string): readonly IdentifierRef[] =>
  refs.filter((r) => identifierKey(r) !== key);

const withRef = (refs: readonly IdentifierRef[], ref: IdentifierRef): readonly IdentifierRef[] =>
  [...without(refs, identifierKey(ref)), toRef(ref)].sort(compareRefs);
