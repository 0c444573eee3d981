import type { MarketingPreferenceUpdated } from '@optstream/contracts';
import type { EmittedPreference } from '@optstream/identity-data-access';
import { reemittedEventId, type DeriveId, type ReemitPreferences } from '@optstream/identity-domain';

/**
 * The merged provisional contact's latest preference per channel and topic (`latest`, in channel
 * order), published again for the survivor: a topic choice stays a topic choice, with its evidence. occurredAt stays the original, so newer state the survivor
 * already has still wins downstream (rule 3 of docs/architecture.md); ids derive from the merge
 * event's id, so a replayed merge re-emits the same events.
 */
export const reemitFrom = (
  deriveId: DeriveId,
  decision: ReemitPreferences,
  latest: readonly EmittedPreference[],
): MarketingPreferenceUpdated[] =>
  latest.map((p) => ({
    eventId: reemittedEventId(deriveId, decision, p.channel, p.topic ?? null),
    externalId: decision.to,
    channel: p.channel,
    newStatus: p.newStatus,
    sourceOfChange: p.sourceOfChange,
    source: p.source,
    occurredAt: p.occurredAt,
    recordedAt: decision.recordedAt,
    causationId: decision.causationId,
    topic: p.topic ?? null,
    evidence: p.evidence ?? null,
    pendingExpiresAt: p.pendingExpiresAt ?? null,
  }));
