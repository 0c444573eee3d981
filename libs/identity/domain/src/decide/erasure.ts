import { ownerOf, survivorOf, type ContactNode, type IdentityView } from '../view';
import type { ResolveInbound } from './command';
import type { Decision } from './decision';
import { emitter } from './emitter';
import type { UsableIdentifiers } from './usable-identifiers';

/**
 * An erasure request (GDPR art. 17) names the person by externalId, else email, else phone — the same
 * order as resolution. The decision is one `contact_erased` event for the live contact; the service
 * then destroys its data key (and those of the provisional contacts merged into it), releases its
 * identifiers and keeps only their keyed hashes as suppression memory. A request for nobody erases
 * nothing (it may repeat a request already carried out).
 */
export const decideErasure = (
  command: ResolveInbound,
  view: IdentityView,
  ids: UsableIdentifiers,
): readonly Decision[] => {
  const contact = target(view, ids);
  if (contact === null) return [];
  const out = emitter(command, view);
  out.identity({ kind: 'contact_erased', externalId: contact.externalId, provisional: contact.provisional });
  return out.decisions();
};

const target = (view: IdentityView, ids: UsableIdentifiers): ContactNode | null => {
  if (ids.externalId !== null) return survivorOf(view, ids.externalId);
  if (ids.email !== null) return ownerOf(view, ids.email);
  if (ids.phone !== null) return ownerOf(view, ids.phone);
  return null;
};
