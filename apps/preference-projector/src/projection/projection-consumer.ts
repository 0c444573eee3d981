import type { IdentityEvent, MarketingPreferenceUpdated } from '@optstream/contracts';
import {
  AvroCodec,
  deadLetterFromMessage,
  decodeRecord,
  EventPublisher,
  partitionLag,
  ProcessingError,
} from '@optstream/kafka';
import { traceparentOf, type Logger } from '@optstream/observability';
import {
  activeVersion,
  applyIdentityBatch,
  applyPreferenceBatch,
  isApplicable,
  loadOffset,
  ProjectionVersionChanged,
  type PositionedEvent,
  type ProjectionTarget,
} from '@optstream/preferences-data-access';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { ProjectorMetrics } from '../observability/projector-metrics';
import type { StatePublisher } from './state-publisher';

interface Decoded extends PositionedEvent<unknown> {
  readonly message: KafkaMessage;
}

export interface ProjectionTopics {
  readonly preferences: string;
  readonly identity: string;
  readonly deadLetter: string;
}

/**
 * The live projection loop. Offsets live ONLY in Postgres, in the same transaction as the rows they
 * produced: the KafkaJS consumer runs with autoCommit off and never commits to Kafka. When it gets a
 * partition (first batch after a group join), it publishes what the outbox still holds for it and
 * seeks to the stored checkpoint; every transaction re-checks the checkpoint under a row lock, so even
 * a zombie member that still holds a partition after a rebalance cannot apply anything twice.
 */
export class ProjectionConsumer {
  private readonly consumer: Consumer;
  private readonly positioned = new Set<string>();
  private target: ProjectionTarget;
  private running = false;
  private readonly groupId: string;

  constructor(
    kafka: Kafka,
    private readonly codec: AvroCodec,
    private readonly db: DataSource,
    target: ProjectionTarget,
    private readonly states: StatePublisher,
    private readonly deadLetters: EventPublisher,
    private readonly topics: ProjectionTopics,
    private readonly metrics: ProjectorMetrics,
    private readonly log: Logger,
    groupId: string,
  ) {
    this.target = target;
    this.consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 250 });
    // A (re)assignment may hand us partitions another member advanced: re-read their checkpoints.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.positioned.clear();
      this.metrics.consumerLag.reset();
    });
    this.groupId = groupId;
  }

  get isRunning(): boolean {
    return this.running;
  }

  get version(): number {
    return this.target.version;
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    // fromBeginning only matters for partitions with no checkpoint: the group never commits to Kafka.
    await this.consumer.subscribe({
      topics: [this.topics.preferences, this.topics.identity],
      fromBeginning: true,
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.running = true;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    this.running = false;
  }

  private async onBatch({ batch, resolveOffset, heartbeat }: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = batch;
    const first = messages[0];
    const last = messages[messages.length - 1];
    if (!first || !last) return;
    // This group never commits to Kafka, so its lag is only known here (kafka_consumer_lag).
    const lag = { group: this.groupId, topic, partition: String(partition) };
    this.metrics.consumerLag.set(lag, partitionLag(batch.highWatermark, first.offset));
    const key = `${topic}/${partition}`;
    if (!this.positioned.has(key)) {
      await this.states.flushPending(this.target, topic, partition);
      this.positioned.add(key);
      if (await this.seekToCheckpoint(topic, partition, first.offset)) return;
    }
    const stop = this.metrics.batchSeconds.startTimer({ topic });
    try {
      const events = await this.decodeAll(topic, partition, messages);
      if (topic === this.topics.preferences)
        await this.applyPreferences(topic, partition, events, last.offset);
      else await this.applyIdentity(topic, partition, events, last.offset);
    } catch (error) {
      if (!(error instanceof ProjectionVersionChanged)) throw error;
      await this.switchVersion(error);
      await this.seekToCheckpoint(topic, partition, first.offset);
      return;
    } finally {
      stop();
    }
    resolveOffset(last.offset);
    this.metrics.consumerLag.set(lag, partitionLag(batch.highWatermark, String(BigInt(last.offset) + 1n)));
    await heartbeat();
  }

  /** Seeks when the stored checkpoint is not where the fetch is; true when it did (drop this batch). */
  private async seekToCheckpoint(topic: string, partition: number, fetchedFrom: string): Promise<boolean> {
    const stored = await loadOffset(this.db, this.target.version, topic, partition);
    // No checkpoint: nothing applied yet, and a group that never commits starts at the earliest offset.
    if (stored === null || BigInt(fetchedFrom) === stored) return false;
    this.consumer.seek({ topic, partition, offset: stored.toString() });
    return true;
  }

  /** A rebuild swapped in a new version (having caught up to our checkpoints): continue there. */
  private async switchVersion(change: ProjectionVersionChanged): Promise<void> {
    const active = await activeVersion(this.db, this.target.projection);
    if (active === null) throw change;
    this.log.info(
      { from: this.target.version, to: active },
      'projection version swapped; continuing in the new one',
    );
    this.target = { ...this.target, version: active };
    this.positioned.clear();
  }

  private async applyPreferences(
    topic: string,
    partition: number,
    events: Decoded[],
    lastOffset: string,
  ): Promise<void> {
    const typed = events as (Decoded & PositionedEvent<MarketingPreferenceUpdated>)[];
    // Enum symbols newer than this reader cannot be applied; they are parked with their original bytes.
    for (const e of typed.filter((e) => !isApplicable(e.value)))
      await this.deadLetter(
        topic,
        partition,
        e.message,
        new ProcessingError('UNKNOWN_ENUM_SYMBOL', 'channel or newStatus is unknown to this reader', false),
      );
    const outcome = await applyPreferenceBatch(this.db, this.target, {
      topic,
      partition,
      events: typed
        .filter((e) => isApplicable(e.value))
        .map((e) => ({ ...e, traceparent: traceparentOf(e.message.headers) })),
      lastOffset,
    });
    this.metrics.events.inc({ topic, outcome: 'applied' }, outcome.applied);
    this.metrics.events.inc({ topic, outcome: 'duplicate' }, outcome.duplicates);
    this.metrics.events.inc({ topic, outcome: 'already_applied' }, outcome.alreadyApplied);
    await this.states.publish(this.target, outcome.changed);
  }

  private async applyIdentity(
    topic: string,
    partition: number,
    events: Decoded[],
    lastOffset: string,
  ): Promise<void> {
    const typed = events as PositionedEvent<IdentityEvent>[];
    // Erased contacts leave the state topic (a tombstone per key) inside the transaction that marks
    // them erased, under their state locks: before the commit (repeating a tombstone after a crash is
    // harmless, losing one is not), and never before a state message of theirs still in flight.
    const outcome = await applyIdentityBatch(
      this.db,
      this.target,
      { topic, partition, events: typed, lastOffset },
      { onErased: (externalIds) => this.states.tombstone(externalIds) },
    );
    this.metrics.events.inc({ topic, outcome: 'applied' }, outcome.applied);
    this.metrics.events.inc({ topic, outcome: 'ignored' }, outcome.ignored);
  }

  /** Undecodable records go to the dead-letter topic; a registry outage (retriable) fails the batch. */
  private async decodeAll(topic: string, partition: number, messages: KafkaMessage[]): Promise<Decoded[]> {
    const decoded: Decoded[] = [];
    for (const message of messages) {
      const event = await decodeRecord<unknown>(this.codec, message.value);
      if (event.ok) decoded.push({ offset: message.offset, value: event.value, message });
      else await this.deadLetter(topic, partition, message, event.error);
    }
    return decoded;
  }

  /**
   * Dead-letters BEFORE the batch commits: a crash in between re-delivers the batch and may park the
   * record twice (at least once), but never loses it.
   */
  private async deadLetter(
    topic: string,
    partition: number,
    original: KafkaMessage,
    error: unknown,
  ): Promise<void> {
    const offset = original.offset;
    const now = Date.now();
    const record = deadLetterFromMessage('preference-projector', {
      topic,
      partition,
      message: original,
      error,
      attempts: 1,
      firstFailedAt: now,
      lastFailedAt: now,
    });
    await this.deadLetters.publish(this.topics.deadLetter, [
      { key: original.key, value: record, eventId: `${topic}/${partition}/${offset}` },
    ]);
    this.metrics.events.inc({ topic, outcome: 'dead_lettered' });
  }
}
