import type { ErasureOutcome, ProviderAdapter } from '@optstream/connectors-domain';
import type { ErasureLog, ErasureRecord } from '@optstream/connectors-data-access';
import type { Logger } from '@optstream/observability';
import type { ConnectorMetrics } from './connector-metrics';

/** Why a provider without a delete-by-id API is not asked: it is keyed by an address erasure shredded. */
const NOT_SUPPORTED: ErasureOutcome = {
  kind: 'not-supported',
  reason:
    'no delete-by-externalId API; the platform is keyed by an address the erasure destroyed — its suppression entry stays on purpose',
};

/**
 * A tombstone on the state topic: the contact was erased. Each provider that can delete a person by
 * externalId is asked to; every answer (or why it was not asked) is recorded, and the connector's own
 * bookkeeping of the contact is dropped.
 */
export async function eraseAtProviders(
  adapters: readonly ProviderAdapter[],
  externalIds: readonly string[],
  context: { erasures: ErasureLog; metrics: ConnectorMetrics; log: Logger },
): Promise<void> {
  if (externalIds.length === 0) return;
  const records: ErasureRecord[] = [];
  for (const externalId of externalIds) {
    for (const adapter of adapters) {
      const outcome = adapter.erase ? await adapter.erase(externalId) : NOT_SUPPORTED;
      records.push({
        provider: adapter.provider,
        externalId,
        outcome: outcome.kind,
        ...(outcome.kind === 'erased' ? {} : { reason: outcome.reason }),
      });
      context.metrics.deliveries.inc({ provider: adapter.provider, outcome: `erasure_${outcome.kind}` });
      if (outcome.kind === 'retry' || outcome.kind === 'rejected')
        context.log.error(
          { provider: adapter.provider, externalId, reason: outcome.reason },
          'erasure at provider failed',
        );
    }
  }
  await context.erasures.record(records);
  await context.erasures.forget(externalIds);
}
