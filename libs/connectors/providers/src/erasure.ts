import type { ErasureOutcome, HttpRequest } from '@optstream/connectors-domain';
import type { ReliableClient } from './reliability/reliable-client';

/**
 * One deletion call through the provider's reliability wrapper. A 404 means the platform never knew
 * the person (or already deleted them): the goal is reached.
 */
export async function eraseWith(
  client: ReliableClient,
  externalId: string,
  request: HttpRequest,
): Promise<ErasureOutcome> {
  // Version -1 marks the erasure in the idempotency key: one key per person, never a state's key.
  const result = await client.call(request, { idempotencyFor: [{ externalId, version: -1 }] });
  if (result.outcome.kind === 'delivered' || result.status === 404) return { kind: 'erased' };
  if (result.outcome.kind === 'retry') return { kind: 'retry', reason: result.outcome.reason };
  return { kind: 'rejected', reason: 'reason' in result.outcome ? result.outcome.reason : 'refused' };
}
