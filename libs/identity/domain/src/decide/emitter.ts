import { assertNever } from '../assert-never';
import type { PlainIdentifier } from '../identifiers';
import { ID_SUFFIX } from '../ids';
import type { IdentityView } from '../view';
import { evolve } from '../evolve';
import type { ResolveInbound } from './command';
import type { Decision, IdentityDecision, ResolverIdentityKind } from './decision';

/**
 * Collects decisions for one fact and folds each identity event into a working copy of the view as
 * it goes, so later steps of the same decision see earlier ones (a merge that already moved the
 * phone, a contact just registered) through exactly the rules the projection will apply.
 */
export interface Emitter {
  readonly view: () => IdentityView;
  readonly decisions: () => readonly Decision[];
  readonly identity: (spec: IdentitySpec) => IdentityDecision;
  readonly push: (decision: Decision) => void;
}

export interface IdentitySpec {
  readonly kind: ResolverIdentityKind;
  readonly externalId: string;
  readonly provisional: boolean;
  readonly identifier?: PlainIdentifier;
  readonly otherExternalId?: string;
}

export const emitter = (command: ResolveInbound, initial: IdentityView): Emitter => {
  const { fact, recordedAt, deriveId } = command;
  let view = initial;
  const out: Decision[] = [];
  return {
    view: () => view,
    decisions: () => out,
    push: (decision) => {
      out.push(decision);
    },
    identity: (spec) => {
      const event: IdentityDecision = {
        eventId: deriveId(fact.eventId, ID_SUFFIX.identity(spec.kind, discriminator(spec))),
        externalId: spec.externalId,
        kind: spec.kind,
        provisional: spec.provisional,
        identifier: spec.identifier ?? null,
        otherExternalId: spec.otherExternalId ?? null,
        occurredAt: fact.occurredAt,
        recordedAt,
        causationId: fact.eventId,
      };
      out.push({ type: 'publish_identity', event });
      view = evolve(view, event);
      return event;
    },
  };
};

// Unique within one fact: one registration per contact, one link/move per identifier kind, one merge
// per absorbed contact.
const discriminator = (spec: IdentitySpec): string => {
  switch (spec.kind) {
    case 'contact_registered':
    case 'contact_erased':
      return spec.externalId;
    case 'identifier_linked':
    case 'identifier_reassigned':
      return spec.identifier?.kind ?? 'none';
    case 'contacts_merged':
      return spec.otherExternalId ?? 'none';
    default:
      return assertNever(spec.kind, 'identity decision kind');
  }
};
