import type { Evidence } from '@optstream/contracts';
import { deriveEventId } from '../event-id';
import type { ConsentChannel, ContactInbound } from '../inbound-fact';
import type { MappedFact } from './map-result';

/** A status a person can choose on a page: `pending` while an email re-subscription awaits its confirmation. */
export type LinkStatus = 'subscribed' | 'unsubscribed' | 'pending';

export interface LinkChange {
  readonly channel: ConsentChannel;
  /** null: the whole channel. */
  readonly topic: string | null;
  readonly status: LinkStatus;
  readonly pendingExpiresAt?: number;
}

/**
 * One submission through a signed link (docs/preference-center.md): a one-click unsubscribe, a
 * preference-center form, a double opt-in confirmation. The token id is the evidence that ties the change
 * to the link minted for this person; the IP address and user agent are proof of consent, sealed by the
 * identity resolver like every other personal datum.
 */
export interface LinkSubmission {
  readonly externalId: string;
  /** Starts with the token id; unique per submission so a resent form or a retried one-click dedupes. */
  readonly submissionRef: string;
  readonly receivedAt: number;
  readonly changes: readonly LinkChange[];
  readonly evidence: Required<
    Pick<Evidence, 'kind' | 'collectionPoint' | 'consentTextId' | 'consentTextVersion'>
  >;
  readonly sourceOfChange: string;
  readonly ipAddress: string | null;
  readonly userAgent: string | null;
}

/** One fact per change; each one's event id derives from the submission and what it changes. */
export function mapLinkSubmission(submission: LinkSubmission): MappedFact[] {
  return submission.changes.map((change) => ({ outcome: 'fact', fact: linkFact(submission, change) }));
}

function linkFact(s: LinkSubmission, change: LinkChange): ContactInbound {
  const providerEventRef = `${s.submissionRef}:${change.channel}:${change.topic ?? '*'}`;
  return {
    eventId: deriveEventId('optstream', providerEventRef),
    source: { system: 'optstream', providerEventRef },
    // The person acted when the server received the form: a trusted clock, to the millisecond.
    occurredAt: s.receivedAt,
    receivedAt: s.receivedAt,
    identifiers: { externalId: s.externalId, email: null, phone: null, anonymousId: null },
    kind: 'preference_change',
    preferenceChange: {
      channel: change.channel,
      newStatus: change.status,
      sourceOfChange: s.sourceOfChange,
      topic: change.topic,
      evidence: {
        strength: 'explicit',
        trust: 'server',
        actor: 'person',
        ...s.evidence,
      },
      pendingExpiresAt: change.status === 'pending' ? (change.pendingExpiresAt ?? null) : null,
      ipAddress: s.ipAddress,
      userAgent: s.userAgent,
    },
    identify: null,
    pushPermissionChange: null,
    sourceTrust: 'server',
  };
}
