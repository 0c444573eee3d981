import type { ContactPreferencesState } from '@optstream/contracts';
import type { EventPublisher } from '@optstream/kafka';
import {
  clearOutbox,
  erasedContacts,
  loadStates,
  lockContactStates,
  pendingOutbox,
  type ChangedContact,
  type ProjectionTarget,
} from '@optstream/preferences-data-access';
import { toStateMessage } from '@optstream/preferences-domain';
import type { DataSource } from 'typeorm';
import type { ProjectorMetrics } from '../observability/projector-metrics';

/**
 * Publishes full contact states to the compacted state topic after the batch that changed them has
 * committed, then clears their outbox rows. If the process dies in between, the partition's next
 * owner finds the rows and publishes first (`flushPending`): at least once, never lost.
 */
export class StatePublisher {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly db: DataSource,
    private readonly topic: string,
    private readonly metrics: ProjectorMetrics,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Each state message carries the `traceparent` of the preference event that caused it (its
   * causationId; kept in the outbox too), so the trace continues to the connectors.
   */
  async publish(target: ProjectionTarget, changed: readonly ChangedContact[]): Promise<number> {
    if (changed.length === 0) return 0;
    // Under the contacts' state locks, an erased contact's state is left out: its tombstone is
    // already on the topic, or will follow only after this send (see `lockContactStates`).
    const published = await this.db.transaction(async (tx) => {
      const ids = changed.map((c) => c.state.externalId);
      await lockContactStates(tx, ids);
      const erased = await erasedContacts(tx, target, ids);
      const live = changed.filter((c) => !erased.has(c.state.externalId));
      if (live.length > 0)
        await this.publisher.publish<ContactPreferencesState>(
          this.topic,
          live.map(({ state, causationId, traceparent }) => ({
            key: state.externalId,
            value: toStateMessage(state, this.now(), causationId),
            eventId: `${state.externalId}@${state.version}`,
            traceparent,
          })),
        );
      return live.length;
    });
    this.metrics.statesPublished.inc(published);
    await clearOutbox(
      this.db,
      target.version,
      changed.map((c) => ({ externalId: c.state.externalId, causationId: c.causationId })),
    );
    return published;
  }

  /** Deletes erased contacts from the compacted state topic: a null value under each key. */
  async tombstone(externalIds: readonly string[]): Promise<void> {
    if (externalIds.length === 0) return;
    await this.publisher.publishRaw(
      this.topic,
      externalIds.map((externalId) => ({ key: externalId, value: null })),
    );
  }

  /** Publishes the CURRENT state of every contact left in the partition's outbox. */
  async flushPending(target: ProjectionTarget, topic: string, partition: number): Promise<number> {
    const pending = await pendingOutbox(this.db, target.version, topic, partition);
    if (pending.length === 0) return 0;
    const states = await this.db.transaction((tx) =>
      loadStates(
        tx,
        target.version,
        pending.map((p) => p.externalId),
      ),
    );
    const changed = pending.flatMap((p): ChangedContact[] => {
      const state = states.get(p.externalId);
      return state ? [{ state, causationId: p.causationId, traceparent: p.traceparent }] : [];
    });
    return this.publish(target, changed);
  }
}
