import type { KnownStatus } from './channels';
import { assertNever } from './assert-never';

/** The three facts that order two changes of the same (contact, channel); nothing else is consulted. */
export interface Change {
  readonly occurredAt: number;
  readonly status: KnownStatus;
  readonly eventId: string;
}

/**
 * Total order over changes of one (contact, channel); > 0 means `a` wins over `b`.
 *
 * 1. Later `occurredAt` wins: the time the person acted, never arrival order, so a late delivery
 *    cannot overturn a newer choice.
 * 2. Exact tie: `unsubscribed` wins, then `pending` (not consent yet) over `subscribed`. If we cannot
 *    tell which came last, not contacting is the side a regulator accepts.
 * 3. Still tied: the GREATER eventId wins, compared by UTF-16 code units (not `localeCompare`, whose
 *    result depends on the runtime's locale data). eventIds are deterministic UUIDs, so this choice is
 *    arbitrary but stable, which is all a replay needs.
 *
 * Returns 0 only for equal eventIds, i.e. the same event (rule 2: eventId is the event's identity).
 */
export const compareChanges = (a: Change, b: Change): number => {
  if (a.occurredAt !== b.occurredAt) return a.occurredAt > b.occurredAt ? 1 : -1;
  if (a.status !== b.status) return safety(a.status) - safety(b.status);
  if (a.eventId === b.eventId) return 0;
  return a.eventId > b.eventId ? 1 : -1;
};

/** True when `candidate` replaces `current`; anything beats "no change yet". */
export const wins = (candidate: Change, current: Change | null | undefined): boolean =>
  current == null || compareChanges(candidate, current) > 0;

const safety = (status: KnownStatus): number => {
  switch (status) {
    case 'unsubscribed':
      return 2;
    case 'pending':
      return 1;
    case 'subscribed':
      return 0;
    default:
      return assertNever(status);
  }
};
