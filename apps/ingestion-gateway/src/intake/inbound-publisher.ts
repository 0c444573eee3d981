import { ContactInbound, TOPICS } from '@optstream/contracts';
import { DurableSpool, SpoolRecord } from '@optstream/ingestion-spool';
import { AvroCodec, EventPublisher } from '@optstream/kafka';
import type { Logger } from '@optstream/observability';
import { GatewayMetrics } from '../observability/gateway-metrics';
import { inboundRecord, RecordContext } from './inbound-records';

export type { RecordContext };

export type Durability = 'published' | 'spooled';

export interface InboundPublisherOptions {
  readonly hashKey: Buffer;
  readonly publishTimeoutMs: number;
  readonly drainIntervalMs?: number;
  readonly drainBatchSize?: number;
}

/**
 * The gateway's only way to accept a fact (rule 1 of docs/architecture.md): resolve means Kafka acknowledged it with acks=all, or it
 * is fsync'd in the local spool. While the spool holds anything, new facts join it, so the drain publishes
 * everything in arrival order once Kafka is back. A full spool rejects (the caller answers 503).
 */
export class InboundPublisher {
  private drainTimer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly codec: AvroCodec,
    private readonly spool: DurableSpool,
    private readonly metrics: GatewayMetrics,
    private readonly log: Logger,
    private readonly options: InboundPublisherOptions,
  ) {}

  start(): void {
    this.metrics.spoolDepth.set(this.spool.depth());
    this.drainTimer = setInterval(() => void this.drainOnce(), this.options.drainIntervalMs ?? 500);
  }

  async stop(): Promise<void> {
    if (this.drainTimer) clearInterval(this.drainTimer);
    await this.draining;
  }

  /** Encodes the facts for contact.inbound.v1 (schema registered at start-up, so no registry call here). */
  async encodeFacts(facts: readonly ContactInbound[], ctx: RecordContext): Promise<SpoolRecord[]> {
    return Promise.all(
      facts.map(async (fact) =>
        inboundRecord(
          this.options.hashKey,
          fact,
          await this.codec.encode(TOPICS.contactInbound.name, fact),
          ctx,
        ),
      ),
    );
  }

  /** Makes the records durable: acknowledged by Kafka, or fsync'd in the spool. Throws SpoolFullError. */
  async accept(records: readonly SpoolRecord[]): Promise<Durability> {
    if (records.length === 0) return 'published';
    if (this.spool.depth() === 0) {
      const started = process.hrtime.bigint();
      try {
        await withTimeout(this.send(records), this.options.publishTimeoutMs);
        this.metrics.publishSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
        return 'published';
      } catch (error) {
        this.log.warn(
          { err: (error as Error).message, events: records.length },
          'Kafka did not acknowledge; spooling',
        );
      }
    }
    await this.spool.append(records);
    this.metrics.spoolDepth.set(this.spool.depth());
    return 'spooled';
  }

  isReady(): boolean {
    return this.publisher.isConnected || this.spool.isWritable();
  }

  /** Publishes what the spool holds, oldest first; a failure leaves the rest for the next tick. */
  drainOnce(): Promise<void> {
    if (this.draining || this.spool.depth() === 0) return this.draining ?? Promise.resolve();
    this.draining = this.spool
      // No timeout race here: the producer's bounded retries end a failed send, and a send raced and
      // abandoned could still land and then be sent again from the spool.
      .drain((batch) => this.send(batch), {
        batchSize: this.options.drainBatchSize ?? 500,
      })
      .then(
        ({ published }) => {
          if (published > 0)
            this.log.info({ published, remaining: this.spool.depth() }, 'drained spooled events to Kafka');
        },
        (error: unknown) =>
          this.log.warn({ err: (error as Error).message }, 'spool drain paused: Kafka still unreachable'),
      )
      .finally(() => {
        this.metrics.spoolDepth.set(this.spool.depth());
        this.draining = undefined;
      });
    return this.draining;
  }

  /** Sends topic by topic in record order (facts and dead letters may share one request). */
  private async send(records: readonly SpoolRecord[]): Promise<void> {
    for (const run of runsByTopic(records)) {
      await this.publisher.publishRaw(
        run.topic,
        run.records.map((r) => ({ key: r.key, value: r.value, headers: { ...r.headers } })),
      );
    }
  }
}

function runsByTopic(records: readonly SpoolRecord[]): { topic: string; records: SpoolRecord[] }[] {
  const runs: { topic: string; records: SpoolRecord[] }[] = [];
  for (const record of records) {
    const last = runs[runs.length - 1];
    if (last && last.topic === record.topic) last.records.push(record);
    else runs.push({ topic: record.topic, records: [record] });
  }
  return runs;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no acknowledgement within ${ms} ms`)), ms);
  });
  // Only a hung client loses this race (bounded retries normally end a send first). Such a send may still
  // land later and be re-sent from the spool; the deterministic event id makes that duplicate harmless.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
