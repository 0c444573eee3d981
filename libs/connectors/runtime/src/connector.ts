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

/**
 * One connector (email, SMS or push): every state message goes to each of its providers. Providers are
 * served side by side, so a slow or dead one costs only its own bounded retries before its contacts
 * are parked; the state batch and the parked-retry pass never run at the same time, so a parked older
 * state can not overtake a newer one at a provider.
 */
export class Connector {
  private exclusive: Promise<unknown> = Promise.resolve();

  constructor(
    readonly adapters: readonly ProviderAdapter[],
    private readonly context: DeliveryContext,
    private readonly erasure?: { erasures: ErasureLog; metrics: ConnectorMetrics; log: Logger },
  ) {}

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
    return this.serialized(async () => {
      if (erased.size > 0 && this.erasure) await eraseAtProviders(this.adapters, [...erased], this.erasure);
      await Promise.all(this.adapters.map((adapter) => deliverToProvider(adapter, pending, this.context)));
    });
  }

  /** Tries the parked deliveries that are due; returns how many it tried. */
  retryParked(limit = 500): Promise<number> {
    return this.serialized(async () => {
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
        await deliverToProvider(adapter, mine, this.context);
      }
      return due.length;
    });
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.exclusive.then(work, work);
    this.exclusive = next.catch(() => undefined);
    return next;
  }
}
