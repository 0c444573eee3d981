import { markPublishedMany, type Queryable, type Resolution } from '@optstream/identity-data-access';
import { errorMessage, type EventPublisher, type OutgoingEvent } from '@optstream/kafka';
import type { Logger } from '@optstream/observability';
import type { ResolverMetrics } from '../observability/resolver-metrics';

export interface ResolverTopics {
  readonly identity: string;
  readonly preferences: string;
}

export interface PublishDeps {
  readonly db: Queryable;
  readonly publisher: EventPublisher;
  readonly metrics: ResolverMetrics;
  readonly log: Logger;
  readonly topics: ResolverTopics;
}

/**
 * A batch's events go out in slices: the publisher keeps call order and merges the slices into
 * requests of up to 2,000 messages, so one key's run stays far below the broker's 1 MiB record-batch
 * limit even when a large batch concerns few contacts.
 */
const PUBLISH_SLICE = 500;

/** Publishes committed resolutions (the outbox rows) and marks them published. */
export class ResolutionPublisher {
  private marking: Promise<void> = Promise.resolve();

  constructor(private readonly deps: PublishDeps) {}

  /** Waits for the background "published" marks (before the database closes). */
  async drain(): Promise<void> {
    await this.marking;
  }

  /**
   * Identity events of all the given resolutions first (one send), then all their preference events
   * (one send), so a preference never names a contact the identity log has not registered; then the
   * outbox rows are marked published in one statement. Every output carries the `traceparent` of the
   * inbound fact that caused it (`traces`, by inbound eventId), so the trace continues downstream.
   */
  async publish(
    resolutions: readonly Resolution[],
    traces: ReadonlyMap<string, string | undefined>,
  ): Promise<void> {
    if (resolutions.length === 0) return;
    const { metrics, db, topics } = this.deps;
    const outgoing = <T extends { externalId: string; eventId: string }>(
      pick: (r: Resolution) => readonly T[],
    ): OutgoingEvent<T>[] =>
      resolutions.flatMap((r) =>
        pick(r).map((e) => ({
          key: e.externalId,
          value: e,
          eventId: e.eventId,
          traceparent: traces.get(r.inboundEventId),
        })),
      );
    await this.publishSliced(
      topics.identity,
      outgoing((r) => r.identityEvents),
    );
    await this.publishSliced(
      topics.preferences,
      outgoing((r) => r.preferenceEvents),
    );
    // The mark only spares a redelivery the republishing (same bytes, same ids): it need not hold up
    // the offset commit. Marks run one after another in the background; `drain` awaits them.
    const ids = resolutions.map((r) => r.inboundEventId);
    this.marking = this.marking
      .then(() => markPublishedMany(db, ids))
      .catch((error: unknown) =>
        this.deps.log.warn({ err: errorMessage(error) }, 'marking outputs published failed'),
      );
    for (const r of resolutions) {
      for (const e of r.identityEvents) metrics.identityEvents.inc({ kind: e.kind });
      for (const e of r.preferenceEvents) {
        metrics.preferenceEvents.inc({ origin: e.causationId === r.inboundEventId ? 'fact' : 'reemit' });
      }
    }
  }

  private async publishSliced<T>(topic: string, events: readonly OutgoingEvent<T>[]): Promise<void> {
    const slices = [];
    for (let i = 0; i < events.length; i += PUBLISH_SLICE) {
      slices.push(this.deps.publisher.publish(topic, events.slice(i, i + PUBLISH_SLICE)));
    }
    await Promise.all(slices);
  }
}
