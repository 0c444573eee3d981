/**
 * Why an event cannot be applied. Returned as a value, never thrown: the projector dead-letters the
 * original record with this code and keeps going (rule 7 of docs/architecture.md). None is retriable — the same bytes will be
 * rejected again — except that `UNKNOWN_*` may become applicable after a reader upgrade that knows the
 * newer enum symbol, which is why such records are parked, not dropped.
 */
export type RejectionCode = 'UNKNOWN_CHANNEL' | 'UNKNOWN_STATUS' | 'WRONG_CONTACT';

export interface RejectedPreferenceEvent {
  readonly code: RejectionCode;
  readonly retriable: false;
  readonly eventId: string;
  readonly reason: string;
}

export const rejected = (code: RejectionCode, eventId: string, reason: string): RejectedPreferenceEvent => ({
  code,
  retriable: false,
  eventId,
  reason,
});
