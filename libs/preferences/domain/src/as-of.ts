import type { MarketingPreferenceUpdated } from '@optstream/contracts';
import { foldEvents, type FoldResult } from './fold';

export interface AsOfQuery {
  /** "What was true at `at`": only changes the person made at or before `at` (by occurredAt). */
  readonly at: number;
  /**
   * Optional "what did we know at `knownAt`": additionally drop events recorded in the log after it
   * (by recordedAt). The two differ for late deliveries: a STOP made at 09:00 but delivered at 09:30
   * WAS true at 09:10, yet at 09:10 we still believed the contact subscribed. Audits of "did we have
   * consent when we sent at t?" pass both `at` and `knownAt` = t. recordedAt is when the resolver
   * wrote the event, so it approximates (slightly earlier than) when the projection applied it.
   */
  readonly knownAt?: number;
}

/**
 * One contact's state as of a time, folded from its full history (any order, duplicates allowed —
 * the result does not depend on either). Rejected events are reported, never applied.
 */
export const stateAsOf = (history: Iterable<MarketingPreferenceUpdated>, query: AsOfQuery): FoldResult => {
  const { at, knownAt } = query;
  const relevant = [...history].filter(
    (event) => event.occurredAt <= at && (knownAt === undefined || event.recordedAt <= knownAt),
  );
  return foldEvents(relevant);
};
