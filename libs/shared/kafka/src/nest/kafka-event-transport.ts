import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { ConsumedEvent, EventConsumer } from '../consumer';
import { ProcessingError } from '../errors';
import { KafkaEventContext } from './kafka-event-context';

/** `@EventPattern(topic, BATCH)` asks for the partition's whole decoded batch instead of one event. */
export const BATCH = { batch: true } as const;

/**
 * A NestJS transport strategy backed by our EventConsumer: services write plain `@EventPattern(topic)`
 * methods, while decoding, offsets, retries and dead-lettering stay in this library. Each handler is
 * awaited to completion before its offset is resolved.
 */
export class KafkaEventTransport extends Server implements CustomTransportStrategy {
  constructor(private readonly consumer: EventConsumer) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    const batchTopics = [...this.messageHandlers.entries()]
      .filter(([, h]) => isBatch(h))
      .map(([topic]) => topic);
    try {
      if (batchTopics.length > 0) {
        await this.consumer.start({ batch: (events) => this.dispatchBatch(events) });
      } else {
        await this.consumer.start({ each: (event) => this.dispatch(event) });
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  private handlerFor(topic: string): MessageHandler {
    const handler = this.getHandlerByPattern(topic);
    if (!handler)
      throw new ProcessingError('NO_HANDLER', `no @EventPattern handler for topic ${topic}`, false);
    return handler;
  }

  private async dispatch(event: ConsumedEvent<unknown>): Promise<void> {
    const handler = this.handlerFor(event.topic);
    await lastValueFrom(
      this.transformToObservable(await handler(event.value, new KafkaEventContext([event]))),
      {
        defaultValue: undefined,
      },
    );
  }

  private async dispatchBatch(events: readonly ConsumedEvent<unknown>[]): Promise<void> {
    const first = events[0];
    if (!first) return;
    const handler = this.handlerFor(first.topic);
    if (!isBatch(handler)) {
      for (const event of events) await this.dispatch(event);
      return;
    }
    await lastValueFrom(this.transformToObservable(await handler(events, new KafkaEventContext([first]))), {
      defaultValue: undefined,
    });
  }

  async close(): Promise<void> {
    await this.consumer.stop();
  }

  on(): void {
    // Status events are not exposed; health is read from the consumer itself.
  }

  unwrap<T>(): T {
    return this.consumer as unknown as T;
  }
}

function isBatch(handler: MessageHandler): boolean {
  return (handler.extras as { batch?: boolean } | undefined)?.batch === true;
}
