import type { PlainIdentifier } from '../identifiers';
import { ownerOf, survivorOf, type IdentityView } from '../view';
import type { ResolveInbound } from './command';
import type { Decision } from './decision';
import { emitter, type Emitter } from './emitter';
import type { UsableIdentifiers } from './usable-identifiers';

/**
 * An identify is the only fact that ties identifiers to an externalId with authority: it links
 * unowned identifiers, merges provisional owners into the named contact and moves identifiers away
 * from other real contacts (as identifier_reassigned, never as a merge). Traits carrying preferences
 * were split into separate preference facts by the gateway, so this is identity only.
 */
export const decideIdentify = (
  command: ResolveInbound,
  view: IdentityView,
  ids: UsableIdentifiers,
): readonly Decision[] => {
  // Without an externalId there is nothing authoritative to tie the identifiers to; linking them to
  // each other on an anonymous identify would let a shared phone pull in a stranger's email.
  if (ids.externalId === null) return [];
  const out = emitter(command, view);
  const known = survivorOf(view, ids.externalId);
  const target = known?.externalId ?? ids.externalId;
  const provisional = known?.provisional ?? false;
  if (known === null) out.identity({ kind: 'contact_registered', externalId: target, provisional });
  // Email before phone: when both are held by one provisional contact, the email's merge brings the
  // phone along and the phone step then finds it already owned by the target.
  for (const identifier of [ids.email, ids.phone]) {
    if (identifier !== null) claim(out, target, provisional, identifier, command);
  }
  return out.decisions();
};

const claim = (
  out: Emitter,
  target: string,
  provisional: boolean,
  identifier: PlainIdentifier,
  command: ResolveInbound,
): void => {
  const owner = ownerOf(out.view(), identifier);
  if (owner === null) {
    out.identity({ kind: 'identifier_linked', externalId: target, provisional, identifier });
  } else if (owner.externalId === target) {
    return;
  } else if (command.fact.sourceTrust === 'client') {
    // A public (browser or app) write key proves nothing about who owns an address: anyone could
    // identify with someone else's email. It may link an unowned identifier, never take one from
    // another contact (docs/consent-model.md, "Source trust").
    return;
  } else if (owner.provisional) {
    const merged = out.identity({
      kind: 'contacts_merged',
      externalId: target,
      provisional,
      otherExternalId: owner.externalId,
    });
    out.push({
      type: 'reemit_preferences',
      from: owner.externalId,
      to: target,
      causationId: merged.eventId,
      recordedAt: command.recordedAt,
    });
  } else {
    // Two real contacts are never merged: the explicit identify moves this one identifier only.
    out.identity({
      kind: 'identifier_reassigned',
      externalId: target,
      provisional,
      identifier,
      otherExternalId: owner.externalId,
    });
  }
};
