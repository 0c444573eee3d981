import type { ContactPreferencesState } from '@optstream/contracts';
import type { ProviderAdapter } from '@optstream/connectors-domain';
import type { ConsumedEvent } from '@optstream/kafka';
import { traceparentOf } from '@optstream/observability';
import type { ErasureLog } from '@optstream/connectors-data-access';
import type { Logger } from '@optstream/observability';
import type { ConnectorMetrics } from './connector-metrics';
import { eraseAtProviders } from './erase-contacts';
import { consentFromState, newestPerContact } from './state-to-consent';
import { deliverToProvider, type DeliveryContext } from './provider-delivery';
import type { PendingDelivery } from './pending-delivery';
import { settleAll } from './settle-all';
import { SharedExclusiveLock } from './shared-exclusive-lock';
import { Semaphore } from '@optstream/connectors-providers';

/**
 * One connector (email, SMS or push): every state message goes to each of its providers. Providers are
 * served side by side, so a slow or dead one costs only its own bounded retries before its contacts
 * are parked. Partitions' batches run side by side too (the consumer hands over several at once, and a
 * contact's states are all in one partition); each provider's batches in flight are bounded by its
 * `maxInFlight`, across partitions. The parked-retry pass runs alone, so a parked older state can not
 * overtake a newer one at a provider.
 */
export class Connector {
  private readonly turns = new SharedExclusiveLock();
  private readonly slots: ReadonlyMap<ProviderAdapter, Semaphore>;

  constructor(
    readonly adapters: readonly ProviderAdapter[],
    private readonly context: DeliveryContext,
    private readonly erasure?: { erasures: ErasureLog; metrics: ConnectorMetrics; log: Logger },
  ) {
    this.slots = new Map(adapters.map((a) => [a, new Semaphore(a.maxInFlight ?? 1)]));
  }

  /** A partition's batch of state messages. Resolves once every outcome is recorded (then offsets commit). */
  handleStates(events: readonly ConsumedEvent<unknown>[]): Promise<void> {
    // Tombstones are erasures: the erased contact's earlier states in the batch are not delivered.
    const erased = new Set(
      events.filter((e) => e.value === null && e.key !== null).map((e) => (e.key as Buffer).toString('utf8')),
    );
    const states = events.filter(
      (e) => e.value !== null && !erased.has((e.value as ContactPreferencesState).externalId),
    );
    const pending = newestPerContact(
      states.map(
        (event): PendingDelivery => ({
          consent: consentFromState(event.value as ContactPreferencesState),
          original: {
            topic: event.topic,
            partition: event.partition,
            offset: event.offset,
            key: event.key,
            value: event.rawValue,
          },
          parkedAttempts: 0,
          changedAt: (event.value as ContactPreferencesState).updatedAt,
          traceparent: traceparentOf(event.headers),
        }),
      ),
    );
    return this.turns.shared(async () => {
      if (erased.size > 0 && this.erasure) await eraseAtProviders(this.adapters, [...erased], this.erasure);
      await settleAll(this.adapters.map((adapter) => this.deliver(adapter, pending)));
    });
  }

  /** Tries the parked deliveries that are due; returns how many it tried. */
  retryParked(limit = 500): Promise<number> {
    return this.turns.exclusive(async () => {
      const due = await this.context.parking.due(this.context.now(), limit);
      for (const adapter of this.adapters) {
        const mine = due
          .filter((p) => p.provider === adapter.provider)
          .map(
            (p): PendingDelivery => ({
              consent: p.consent,
              original: p.original,
              parkedAttempts: p.attempts,
              firstFailedAt: p.firstFailedAt,
              traceparent: p.original.traceparent,
            }),
          );
        await this.deliver(adapter, mine);
      }
      return due.length;
    });
  }

  private deliver(adapter: ProviderAdapter, pending: readonly PendingDelivery[]): Promise<void> {
    return deliverToProvider(adapter, pending, this.context, this.slots.get(adapter));
  }
}
