import type { Channel, Evidence, SubscriptionStatus } from '@optstream/contracts';
import { assertNever } from '../assert-never';
import type { MatchKind } from '../identifiers';
import { ID_SUFFIX } from '../ids';
import { ownerOf, survivorOf, type IdentityView } from '../view';
import type { ResolveInbound } from './command';
import type { Decision } from './decision';
import { emitter, type Emitter } from './emitter';
import type { UsableIdentifiers } from './usable-identifiers';

/** A consent change on one channel, from a preference_change or a push_permission_change fact. */
export interface ConsentChange {
  readonly channel: Exclude<Channel, 'unknown'>;
  readonly newStatus: Exclude<SubscriptionStatus, 'unknown'>;
  readonly sourceOfChange: string;
  /** null: the whole channel. */
  readonly topic: string | null;
  readonly evidence: Evidence | null;
  readonly pendingExpiresAt: number | null;
}

/** How the contact was found; identifiers weaker than this are never linked to it. */
type ResolvedBy = 'externalId' | 'provisional' | MatchKind;

/**
 * Applies a consent change to the strongest match: externalId, else the email's owner, else the
 * phone's owner, else a new provisional contact (so an opt-out from an unknown address holds at
 * once). A consent fact never moves or merges identifiers — only an identify does. So an opt-out
 * naming an email of contact A and a phone of contact B goes to A and leaves the phone with B: the
 * phone is the weaker, recyclable key, and moving it on a preference fact would let one stale
 * number silently re-route another person's consent.
 */
export const decideConsent = (
  command: ResolveInbound,
  view: IdentityView,
  ids: UsableIdentifiers,
  change: ConsentChange,
): readonly Decision[] => {
  const out = emitter(command, view);
  const resolved = resolve(out, command, ids);
  if (resolved === null) {
    return [
      {
        type: 'rejected',
        code: 'NO_USABLE_IDENTIFIER',
        reason: 'no usable externalId, email or phone (absent or a blocked placeholder)',
      },
    ];
  }
  linkUnowned(out, resolved, ids);
  const { fact } = command;
  out.push({
    type: 'publish_preference',
    event: {
      eventId: command.deriveId(fact.eventId, ID_SUFFIX.preference),
      externalId: resolved.contact,
      channel: change.channel,
      newStatus: change.newStatus,
      sourceOfChange: change.sourceOfChange,
      source: fact.source,
      occurredAt: fact.occurredAt,
      recordedAt: command.recordedAt,
      causationId: fact.eventId,
      topic: change.topic,
      evidence: change.evidence,
      pendingExpiresAt: change.pendingExpiresAt,
      occurredAtPrecision: fact.occurredAtPrecision ?? 'unknown',
      originalOccurredAt: fact.originalOccurredAt ?? null,
    },
  });
  return out.decisions();
};

interface Resolved {
  readonly contact: string;
  readonly provisional: boolean;
  readonly by: ResolvedBy;
}

const resolve = (out: Emitter, command: ResolveInbound, ids: UsableIdentifiers): Resolved | null => {
  const view = out.view();
  if (ids.externalId !== null) {
    const known = survivorOf(view, ids.externalId);
    if (known !== null)
      return { contact: known.externalId, provisional: known.provisional, by: 'externalId' };
    // externalId is our own database id: a consent fact naming one we have not seen yet (own API,
    // backfill) registers a real contact, not a provisional one.
    out.identity({ kind: 'contact_registered', externalId: ids.externalId, provisional: false });
    return { contact: ids.externalId, provisional: false, by: 'externalId' };
  }
  const byEmail = ids.email === null ? null : ownerOf(view, ids.email);
  if (byEmail !== null) return { contact: byEmail.externalId, provisional: byEmail.provisional, by: 'email' };
  const byPhone = ids.phone === null ? null : ownerOf(view, ids.phone);
  if (byPhone !== null) return { contact: byPhone.externalId, provisional: byPhone.provisional, by: 'phone' };
  if (ids.email === null && ids.phone === null) return null;
  const contact = command.deriveId(command.fact.eventId, ID_SUFFIX.provisionalContact);
  out.identity({ kind: 'contact_registered', externalId: contact, provisional: true });
  return { contact, provisional: true, by: 'provisional' };
};

/**
 * Unowned identifiers named alongside are linked to the resolved contact, but only when the key that
 * found it is at least as strong: a phone match (recycled, shared) never pulls in an email.
 */
const linkUnowned = (out: Emitter, resolved: Resolved, ids: UsableIdentifiers): void => {
  for (const identifier of [ids.email, ids.phone]) {
    if (identifier === null || strength(identifier.kind) < strength(resolved.by)) continue;
    if (ownerOf(out.view(), identifier) !== null) continue;
    out.identity({
      kind: 'identifier_linked',
      externalId: resolved.contact,
      provisional: resolved.provisional,
      identifier,
    });
  }
};

// Lower is stronger; a new provisional contact was created from these very identifiers, so it takes all.
const strength = (by: ResolvedBy): number => {
  switch (by) {
    case 'externalId':
    case 'provisional':
      return 0;
    case 'email':
      return 1;
    case 'phone':
      return 2;
    default:
      return assertNever(by, 'resolution key');
  }
};
