import type { ContactConsent } from '@optstream/connectors-domain';
import type { OriginalMessage } from '@optstream/connectors-data-access';

/** One contact's state on its way to the providers, with the message it came from (for parking/DLQ). */
export interface PendingDelivery {
  readonly consent: ContactConsent;
  readonly original: OriginalMessage;
  /** Attempts already recorded in the parking lot for this version (0 for a fresh state). */
  readonly parkedAttempts: number;
  readonly firstFailedAt?: Date;
  /** When the state changed (the state message's updatedAt), for the end-to-end latency metric. */
  readonly changedAt?: number;
  /** The state message's `traceparent` header: provider calls for this contact continue its trace. */
  readonly traceparent?: string;
}
