import { Kafka, Producer, RetryOptions } from 'kafkajs';
import { AvroCodec } from './codec';
import { HEADER } from './headers';
import { SendCoalescer } from './send-coalescer';

export interface OutgoingEvent<T> {
  readonly key: string | Buffer | null;
  readonly value: T;
  readonly eventId: string;
  readonly traceparent?: string;
  readonly headers?: Readonly<Record<string, string | Buffer>>;
}

export interface PublisherOptions {
  /**
   * Bounds how long a send keeps retrying before it rejects. A caller with a fallback (the gateway's
   * spool) needs a send that fails definitively rather than one that may still land after it gave up.
   */
  readonly retry?: RetryOptions;
}

/**
 * Publishes Avro events with an idempotent producer (acks=all, one request in flight so retries can
 * never reorder a key's events). `publish` resolves only once the broker has acknowledged every message:
 * callers answer "accepted" only after it resolves.
 */
export class EventPublisher {
  private readonly producer: Producer;
  private readonly coalescer: SendCoalescer;
  private connected = false;

  constructor(
    kafka: Kafka,
    private readonly codec: AvroCodec,
    private readonly schemaNames: Readonly<Record<string, string>>,
    options: PublisherOptions = {},
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      ...(options.retry ? { retry: options.retry } : {}),
    });
    this.coalescer = new SendCoalescer(this.producer);
    this.producer.on(this.producer.events.CONNECT, () => (this.connected = true));
    this.producer.on(this.producer.events.DISCONNECT, () => (this.connected = false));
  }

  get isConnected(): boolean {
    return this.connected;
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }

  async publish<T>(topic: string, events: readonly OutgoingEvent<T>[]): Promise<void> {
    if (events.length === 0) return;
    const messages = await Promise.all(
      events.map(async (event) => ({
        key: event.key,
        value: await this.codec.encode(topic, event.value),
        headers: {
          ...event.headers,
          [HEADER.eventId]: event.eventId,
          [HEADER.schema]: this.schemaNames[topic] ?? topic,
          ...(event.traceparent ? { [HEADER.traceparent]: event.traceparent } : {}),
        },
      })),
    );
    await this.coalescer.send(topic, messages);
  }

  /** Sends pre-encoded bytes (dead letters carry original payloads; replays resend them as they were). */
  async publishRaw(
    topic: string,
    messages: readonly {
      key: Buffer | string | null;
      value: Buffer | null;
      headers?: Record<string, string | Buffer>;
    }[],
  ): Promise<void> {
    if (messages.length === 0) return;
    await this.coalescer.send(topic, messages);
  }
}
