import type { ProviderView } from '@optstream/connectors-domain';
import type { CallResult } from './reliability/reliable-client';

/** A failed read as a view: 404 = the provider does not know the person, anything else an error. */
export function failedRead(result: CallResult): ProviderView {
  if (result.status === 404) return { kind: 'not-found' };
  const reason = result.outcome.kind === 'delivered' ? 'unexpected answer' : result.outcome.reason;
  return result.status === undefined
    ? { kind: 'error', reason }
    : { kind: 'error', reason, status: result.status };
}
