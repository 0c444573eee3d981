import type { DeliveryOutcome } from '../delivery';
import type { RequestOutcome } from './classify';

/**
 * One contact's outcome from all requests made for it. 'rejected' wins over 'retry' (retrying cannot
 * fix a request the provider refuses for good, and the DLQ entry shows why); then 'retry' wins over
 * 'delivered' with the longest requested wait, since the whole state must be re-sent.
 */
export function combineOutcomes(outcomes: readonly RequestOutcome[]): DeliveryOutcome {
  const rejected = outcomes.find((o) => o.kind === 'rejected');
  if (rejected) return rejected;
  const retries = outcomes.flatMap((o) => (o.kind === 'retry' ? [o] : []));
  if (retries.length === 0) return { kind: 'delivered' };
  const waits = retries.flatMap((r) => (r.retryAfterMs === undefined ? [] : [r.retryAfterMs]));
  const reason = [...new Set(retries.map((r) => r.reason))].join('; ');
  return waits.length === 0
    ? { kind: 'retry', reason }
    : { kind: 'retry', reason, retryAfterMs: Math.max(...waits) };
}
