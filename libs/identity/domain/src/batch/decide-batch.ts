import { decide, type Decision, type ResolveInbound } from '../decide';
import { evolveAll } from '../evolve';
import { identifierKey, type IdentifierRef } from '../identifiers';
import type { ContactNode, IdentityView } from '../view';

/** The decisions for each command, in command order, and the view after all of them. */
export interface BatchDecision {
  readonly decisions: readonly (readonly Decision[])[];
  readonly view: IdentityView;
}

/**
 * Decides a batch of facts one after another against ONE view, folding each fact's identity events
 * into it before the next fact is decided: exactly what resolving them one at a time in this order
 * gives (later facts see the contacts, links and merges of earlier ones).
 *
 * `decide` and `evolve` run on a small sub-view per fact (the contacts the fact can reach and their
 * identifiers), so the cost per fact does not grow with the batch's view; the evolved sub-view is
 * written back into a working copy that belongs to this call alone. Pure: no I/O, nothing shared.
 */
export const decideBatch = (commands: readonly ResolveInbound[], view: IdentityView): BatchDecision => {
  const contacts = new Map(view.contacts);
  const owners = new Map(view.owners);
  const decisions: (readonly Decision[])[] = [];
  for (const command of commands) {
    const local = subView(contacts, owners, seedsOf(command));
    const decided = decide(command, local);
    decisions.push(decided);
    if (!decided.some((d) => d.type === 'publish_identity')) continue;
    const next = evolveAll(local, decided);
    for (const [id, node] of next.contacts) contacts.set(id, node);
    for (const [key, owner] of next.owners) owners.set(key, owner);
  }
  return { decisions, view: { contacts, owners } };
};

interface Seeds {
  readonly externalId: string | null;
  readonly refs: readonly IdentifierRef[];
}

// Everything decide can look at: the fact's externalId and identifiers (a blocked value's hash is
// harmless here: decide ignores it).
const seedsOf = (command: ResolveInbound): Seeds => ({
  externalId: command.fact.identifiers.externalId,
  refs: [
    ...(command.emailHash ? [{ kind: 'email' as const, keyedHash: command.emailHash }] : []),
    ...(command.phoneHash ? [{ kind: 'phone' as const, keyedHash: command.phoneHash }] : []),
  ],
});

// Merge chains are short (provisional → survivor); the bound only guards a corrupt view.
const MAX_HOPS = 32;

/**
 * The part of the view one fact can reach: the contact its externalId names and the owners of its
 * identifiers, each with its merge chain up to the survivor, and every identifier those contacts own.
 * evolve only ever touches these contacts (a link's previous owner owns one of the fact's
 * identifiers; a merge absorbs such an owner), so folding into the sub-view and writing it back is
 * the same as folding into the whole view.
 */
const subView = (
  contacts: ReadonlyMap<string, ContactNode>,
  owners: ReadonlyMap<string, string>,
  seeds: Seeds,
): IdentityView => {
  const picked = new Map<string, ContactNode>();
  const pick = (start: string | null | undefined): void => {
    let id = start;
    for (let hops = 0; id !== null && id !== undefined && hops < MAX_HOPS; hops += 1) {
      if (picked.has(id)) return;
      const node = contacts.get(id);
      if (node === undefined) return;
      picked.set(id, node);
      id = node.mergedInto;
    }
  };
  pick(seeds.externalId);
  for (const ref of seeds.refs) pick(owners.get(identifierKey(ref)));
  const localOwners = new Map<string, string>();
  for (const node of picked.values()) {
    for (const ref of node.identifiers) localOwners.set(identifierKey(ref), node.externalId);
  }
  return { contacts: picked, owners: localOwners };
};
