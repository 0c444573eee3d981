import type { MarketingPreferenceUpdated } from '@optstream/contracts';
import { evolve, type ContactState } from './contact-state';
import type { RejectedPreferenceEvent } from './rejection';

export interface FoldResult {
  readonly state: ContactState | null;
  readonly rejected: readonly RejectedPreferenceEvent[];
}

/** Whether an eventId is already in the contact's history (the projector asks its history table). */
export type InHistory = (eventId: string) => boolean;

/**
 * Folds one contact's events in the given order, starting from `initial`. It remembers every eventId
 * it folds, so duplicates inside `events` never count twice. Of the events already folded into
 * `initial` the state only knows the channel winners; `inHistory` tells about the rest (without it a
 * redelivered losing event is 'older' again: channels unchanged, but `version` moves).
 */
export const foldEvents = (
  events: Iterable<MarketingPreferenceUpdated>,
  initial: ContactState | null = null,
  inHistory: InHistory = () => false,
): FoldResult => {
  const seen = new Set<string>();
  const rejectedEvents: RejectedPreferenceEvent[] = [];
  let state = initial;
  for (const event of events) {
    const alreadySeen = seen.has(event.eventId) || inHistory(event.eventId);
    const evolution = evolve(state, event, { alreadySeen });
    if (evolution.effect === 'rejected') {
      rejectedEvents.push(evolution.error);
      continue;
    }
    seen.add(event.eventId);
    state = evolution.state;
  }
  return { state, rejected: rejectedEvents };
};
