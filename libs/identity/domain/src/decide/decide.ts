import type { ContactInbound, Evidence, SourceTrust } from '@optstream/contracts';
import { assertNever } from '../assert-never';
import type { IdentityView } from '../view';
import type { ResolveInbound } from './command';
import { isRejected, type Decision, type Rejected, type RejectionCode } from './decision';
import { decideErasure } from './erasure';
import { decideIdentify } from './identify';
import { decideConsent, type ConsentChange } from './preference';
import { usableIdentifiers } from './usable-identifiers';

/**
 * Identity resolution: one inbound fact + the identity view around it → ordered decisions (identity
 * events to seal and publish, preference events, re-emits after merges, or a rejection). Pure and
 * deterministic: the same command and view always give the same decisions with the same ids.
 */
export const decide = (command: ResolveInbound, view: IdentityView): readonly Decision[] => {
  const ids = usableIdentifiers(command);
  if (isRejected(ids)) return [ids];
  const { fact } = command;
  switch (fact.kind) {
    case 'identify':
      return decideIdentify(command, view, ids);
    case 'preference_change':
    case 'push_permission_change': {
      const change = consentChange(fact);
      return isRejected(change) ? [change] : decideConsent(command, view, ids, change);
    }
    case 'erasure_request':
      return decideErasure(command, view, ids);
    case 'unknown':
      return [reject('UNKNOWN_FACT_KIND', 'inbound fact kind is unknown to this resolver')];
    default:
      return assertNever(fact.kind, 'inbound fact kind');
  }
};

const consentChange = (fact: ContactInbound): ConsentChange | Rejected => {
  if (fact.kind === 'push_permission_change') {
    const push = fact.pushPermissionChange;
    if (push === null) return reject('MISSING_FACT_PAYLOAD', 'push_permission_change without its payload');
    return {
      channel: 'push',
      newStatus: push.enabled ? 'subscribed' : 'unsubscribed',
      sourceOfChange: push.sourceOfChange,
      topic: null,
      // Turning push permission on or off is the person's own act on their device.
      evidence: { strength: 'explicit', kind: 'push_permission', trust: fact.sourceTrust ?? 'unknown' },
      pendingExpiresAt: null,
    };
  }
  const change = fact.preferenceChange;
  if (change === null) return reject('MISSING_FACT_PAYLOAD', 'preference_change without its payload');
  // 'unknown' is what a reader maps a newer enum symbol to: publishing it would record a consent
  // nobody can act on, so it goes to the DLQ until this resolver knows the symbol.
  if (change.channel === 'unknown') return reject('UNKNOWN_CHANNEL', 'preference_change channel is unknown');
  if (change.newStatus === 'unknown') return reject('UNKNOWN_STATUS', 'preference_change status is unknown');
  return {
    channel: change.channel,
    newStatus: change.newStatus,
    sourceOfChange: change.sourceOfChange,
    topic: change.topic ?? null,
    evidence: withTrust(change.evidence ?? null, fact.sourceTrust ?? 'unknown'),
    pendingExpiresAt: change.pendingExpiresAt ?? null,
  };
};

/** The fact's source trust travels in the evidence the projector ranks by (docs/consent-model.md). */
const withTrust = (evidence: Evidence | null, trust: SourceTrust): Evidence | null => {
  if (trust === 'unknown') return evidence;
  return { ...(evidence ?? { strength: 'unknown', kind: 'unknown' }), trust };
};

const reject = (code: RejectionCode, reason: string): Rejected => ({ type: 'rejected', code, reason });
