import type { MarketingPreferenceUpdated } from '@optstream/contracts';

/** The consent-model fields of an event that the history keeps (sealed IP and user agent stay in the log). */
export type HistoryDetail = Pick<
  MarketingPreferenceUpdated,
  'topic' | 'evidence' | 'pendingExpiresAt' | 'occurredAtPrecision' | 'originalOccurredAt'
>;

/** The history.detail jsonb of an event: null when it has none of them (every event of the first release). */
export const historyDetail = (event: MarketingPreferenceUpdated): string | null => {
  const detail: HistoryDetail = {
    topic: event.topic ?? null,
    evidence: event.evidence ?? null,
    pendingExpiresAt: event.pendingExpiresAt ?? null,
    occurredAtPrecision: event.occurredAtPrecision ?? 'unknown',
    originalOccurredAt: event.originalOccurredAt ?? null,
  };
  const legacy =
    detail.topic === null &&
    detail.evidence === null &&
    detail.pendingExpiresAt === null &&
    detail.occurredAtPrecision === 'unknown' &&
    detail.originalOccurredAt === null;
  return legacy ? null : JSON.stringify(detail);
};
