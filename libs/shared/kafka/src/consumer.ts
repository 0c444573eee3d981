import { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type { DeadLetter } from '@optstream/contracts';
import { AvroCodec } from './codec';
import { deadLetterFromMessage } from './dead-letter';
import { errorMessage, isRetriable } from './errors';
import { EventPublisher } from './publisher';
import type { RetryPolicy } from '@optstream/backoff';
import { DEFAULT_RETRY, RetryOptions, withRetry } from './retry';

export interface ConsumedEvent<T> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: T;
  /** The message value exactly as it arrived, for dead-letter records that keep the original bytes. */
  readonly rawValue: Buffer | null;
  readonly headers: IHeaders;
  readonly timestamp: string;
}

export type EventHandler = (event: ConsumedEvent<unknown>) => Promise<void>;
/**
 * What a batch handler may report back: events of the batch it could not process for good (poison).
 * The consumer dead-letters them (original bytes, `error`'s code and reason) and commits the batch;
 * every other event of the batch counts as handled.
 */
export interface BatchOutcome {
  readonly rejected?: readonly { readonly event: ConsumedEvent<unknown>; readonly error: unknown }[];
}

/** Receives a partition's decoded batch at once; poison messages were already dead-lettered. */
export type BatchHandler = (events: readonly ConsumedEvent<unknown>[]) => Promise<void | BatchOutcome>;

export type Handling = { readonly each: EventHandler } | { readonly batch: BatchHandler };

export interface EventConsumerOptions {
  readonly service: string;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly deadLetterTopic: string;
  readonly fromBeginning?: boolean;
  readonly retry?: RetryPolicy;
  readonly partitionsConsumedConcurrently?: number;
  /** Called with every message that went to the dead-letter topic (metrics, logs). */
  readonly onDeadLetter?: (topic: string, error: unknown) => void;
  /**
   * Protects a dead letter's original bytes before it is published, when the input carries personal
   * data (the identity resolver seals them with the contact's data key: docs/privacy.md).
   */
  readonly sealDeadLetter?: (record: DeadLetter) => Promise<DeadLetter>;
  /** Hand tombstones (null values) to the handler as events with value null instead of dead-lettering them. */
  readonly tombstones?: boolean;
  /**
   * Retriable failures that must never exhaust the retry budget and be dead-lettered (an outage of the
   * handler's database): retried with capped backoff, heartbeating between attempts, until they succeed,
   * the consumer stops or the partition is taken away (the batch is then left uncommitted). Default: none.
   */
  readonly retryIndefinitely?: (error: unknown) => boolean;
  /** Where to report consumer lag per partition (`consumerLagGauge` from @optstream/observability). */
  readonly lag?: ConsumerLagSink;
}

/**
 * Receives each partition's lag: the fetch's high watermark minus the next offset to process, set when
 * a batch arrives and again once it is handled; `reset` on every rebalance (partitions may have moved).
 * A prom-client Gauge with these labels fits.
 */
export interface ConsumerLagSink {
  set(labels: { group: string; topic: string; partition: string }, lag: number): void;
  reset(): void;
}

/** Messages from `nextOffset` up to the high watermark (exclusive), never negative. */
export function partitionLag(highWatermark: string, nextOffset: string): number {
  const lag = BigInt(highWatermark) - BigInt(nextOffset);
  return lag > 0n ? Number(lag) : 0;
}

interface PartitionControl {
  readonly heartbeat: () => Promise<void>;
}

/**
 * A consumer group member that decodes Avro, hands each event to its handler, retries retriable
 * failures with backoff, and moves poison messages (undecodable, or failing for good) to the
 * dead-letter topic with their original bytes before resolving their offset. Offsets are committed only
 * after a message was handled or dead-lettered, so a crash re-delivers rather than loses.
 */
export class EventConsumer {
  private readonly consumer: Consumer;
  private stopping = false;
  private running = false;

  constructor(
    kafka: Kafka,
    private readonly codec: AvroCodec,
    private readonly deadLetters: EventPublisher,
    private readonly options: EventConsumerOptions,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      // Only bounds idle polling and shutdown; a fetch returns as soon as data arrives.
      maxWaitTimeInMs: 500,
    });
    const { lag } = options;
    if (lag) this.consumer.on(this.consumer.events.GROUP_JOIN, () => lag.reset());
  }

  get isRunning(): boolean {
    return this.running;
  }

  async start(handling: Handling): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [...this.options.topics],
      fromBeginning: this.options.fromBeginning ?? true,
    });
    await this.consumer.run({
      eachBatchAutoResolve: false,
      autoCommit: true,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: async (payload) => {
        this.reportLag(payload, payload.batch.firstOffset());
        await ('each' in handling
          ? this.handleEach(payload, handling.each)
          : this.handleWhole(payload, handling.batch));
        this.reportLag(payload, null);
      },
    });
    this.running = true;
  }

  /** `next`: the next offset to process; null = after the batch (what was resolved). */
  private reportLag({ batch }: EachBatchPayload, next: string | null): void {
    const { lag, groupId } = this.options;
    if (!lag) return;
    const last = batch.messages[batch.messages.length - 1];
    const processed = next ?? (last && !this.stopping ? String(BigInt(last.offset) + 1n) : null);
    if (processed === null) return;
    lag.set(
      { group: groupId, topic: batch.topic, partition: String(batch.partition) },
      partitionLag(batch.highWatermark, processed),
    );
  }

  private async handleEach(payload: EachBatchPayload, handler: EventHandler): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary } = payload;
    for (const message of batch.messages) {
      // On shutdown or rebalance, stop between messages: what is resolved gets committed, the rest re-delivered.
      if (!isRunning() || isStale() || this.stopping) break;
      await this.handleMessage(batch.topic, batch.partition, message, handler, { heartbeat });
      resolveOffset(message.offset);
      await heartbeat();
    }
    await commitOffsetsIfNecessary();
  }

  /**
   * Batch mode: decode everything (dead-lettering what cannot be decoded), hand the rest over in one call
   * with retries; if the batch fails for good, fall back to one event at a time so only the poison event
   * is dead-lettered and its neighbours still go through.
   */
  private async handleWhole(payload: EachBatchPayload, handler: BatchHandler): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary } = payload;
    const decoded: { event: ConsumedEvent<unknown>; message: KafkaMessage }[] = [];
    for (const message of batch.messages) {
      const outcome = await withRetry(
        () => this.decode(batch.topic, batch.partition, message),
        this.options.retry ?? DEFAULT_RETRY,
        this.retryOptions({ heartbeat }),
      );
      if (outcome.ok) decoded.push({ event: outcome.value, message });
      else await this.giveUp(batch.topic, batch.partition, message, outcome);
    }
    if (decoded.length > 0) {
      const whole = await withRetry(
        () => handler(decoded.map((d) => d.event)),
        this.options.retry ?? DEFAULT_RETRY,
        this.retryOptions({ heartbeat }),
      );
      if (whole.ok) {
        for (const { event, error } of whole.value?.rejected ?? []) {
          const message = decoded.find((d) => d.event === event)?.message;
          if (message === undefined)
            throw new Error('batch handler rejected an event that is not in its batch');
          const at = Date.now();
          await this.giveUp(batch.topic, batch.partition, message, {
            error,
            attempts: 1,
            firstFailedAt: at,
            lastFailedAt: at,
          });
        }
      } else {
        if (this.stopping && isRetriable(whole.error)) throw whole.error;
        for (const { message } of decoded) {
          await this.handleMessage(
            batch.topic,
            batch.partition,
            message,
            async (event) => {
              // A rejection reported for the single event is its failure: dead-letter it as a thrown one.
              const rejected = (await handler([event]))?.rejected?.[0];
              if (rejected !== undefined) throw rejected.error;
            },
            { heartbeat },
          );
          await heartbeat();
        }
      }
    }
    const last = batch.messages[batch.messages.length - 1];
    if (last) resolveOffset(last.offset);
    await heartbeat();
    await commitOffsetsIfNecessary();
  }

  private async decode(
    topic: string,
    partition: number,
    message: KafkaMessage,
  ): Promise<ConsumedEvent<unknown>> {
    return {
      topic,
      partition,
      offset: message.offset,
      key: message.key,
      // A tombstone (null value: a compacted key deleted, e.g. an erased contact) has nothing to decode.
      value:
        message.value === null && this.options.tombstones === true
          ? null
          : await this.codec.decode<unknown>(message.value),
      rawValue: message.value,
      headers: message.headers ?? {},
      timestamp: message.timestamp,
    };
  }

  private async handleMessage(
    topic: string,
    partition: number,
    message: KafkaMessage,
    handler: EventHandler,
    control: PartitionControl,
  ): Promise<void> {
    const outcome = await withRetry(
      async () => handler(await this.decode(topic, partition, message)),
      this.options.retry ?? DEFAULT_RETRY,
      this.retryOptions(control),
    );
    if (!outcome.ok) await this.giveUp(topic, partition, message, outcome);
  }

  // Heartbeating between attempts keeps the partition through a long outage; when the group rebalances
  // meanwhile, the heartbeat throws and the batch is abandoned uncommitted for the partition's next owner.
  private retryOptions(control: PartitionControl): RetryOptions {
    const { retryIndefinitely } = this.options;
    return {
      shouldStop: () => this.stopping,
      ...(retryIndefinitely ? { retryIndefinitely, onWait: control.heartbeat } : {}),
    };
  }

  private async giveUp(
    topic: string,
    partition: number,
    message: KafkaMessage,
    outcome: { error: unknown; attempts: number; firstFailedAt: number; lastFailedAt: number },
  ): Promise<void> {
    // A retriable failure interrupted by shutdown is not poison: leave it for the next owner.
    if (this.stopping && isRetriable(outcome.error)) throw outcome.error;
    const built = deadLetterFromMessage(this.options.service, { topic, partition, message, ...outcome });
    try {
      const record = this.options.sealDeadLetter ? await this.options.sealDeadLetter(built) : built;
      await this.deadLetters.publish(this.options.deadLetterTopic, [
        { key: message.key, value: record, eventId: `${topic}/${partition}/${message.offset}` },
      ]);
    } catch (error) {
      // If even the dead-letter topic is unreachable, fail the batch: the message is re-delivered, not lost.
      throw new Error(
        `dead-lettering ${topic}/${partition}@${message.offset} failed: ${errorMessage(error)}`,
        { cause: error },
      );
    }
    this.options.onDeadLetter?.(topic, outcome.error);
  }

  /** Finish the message in hand, commit what was handled, leave the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer.disconnect();
    this.running = false;
  }
}
