import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, MicroserviceOptions, Payload } from '@nestjs/microservices';
import { MarketingPreferenceUpdated } from '@optstream/contracts';
import { FIXTURES, uniqueName, waitFor } from '@optstream/testing';
import { BATCH, ConsumedEvent, EventConsumer, KafkaEventContext, KafkaEventTransport } from '../src';
import { Harness } from './harness';

jest.setTimeout(60_000);

describe('NestJS transport strategy', () => {
  const h = new Harness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it('delivers decoded events to @EventPattern handlers with their Kafka context', async () => {
    const { topic, deadLetterTopic } = await h.topic('marketing-preference-updated.v1');
    const received: { value: MarketingPreferenceUpdated; offset: string }[] = [];

    @Controller()
    class PreferenceHandler {
      @EventPattern(topic)
      async onPreference(
        @Payload() value: MarketingPreferenceUpdated,
        @Ctx() context: KafkaEventContext,
      ): Promise<void> {
        received.push({ value, offset: context.event.offset });
      }
    }
    @Module({ controllers: [PreferenceHandler] })
    class TestModule {}

    const consumer = new EventConsumer(h.kafka, h.codec, h.publisher, {
      service: 'nest-test',
      groupId: uniqueName('nest'),
      topics: [topic],
      deadLetterTopic,
    });
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(TestModule, {
      strategy: new KafkaEventTransport(consumer),
      logger: false,
    });
    await app.listen();
    try {
      const fixture = FIXTURES['marketing-preference-updated.v1'];
      await h.publisher.publish(topic, [
        { key: fixture.externalId, value: fixture, eventId: fixture.eventId },
      ]);
      await waitFor(() => received.length === 1, { description: 'the handler to run' });
      expect(received[0]?.value).toEqual(fixture);
      expect(received[0]?.offset).toBe('0');
    } finally {
      await app.close();
    }
    expect(consumer.isRunning).toBe(false);
  });

  it('hands whole batches to handlers marked BATCH', async () => {
    const { topic, deadLetterTopic } = await h.topic('marketing-preference-updated.v1');
    const batches: number[] = [];

    @Controller()
    class BatchHandler {
      @EventPattern(topic, BATCH)
      async onBatch(@Payload() events: readonly ConsumedEvent<MarketingPreferenceUpdated>[]): Promise<void> {
        batches.push(events.length);
      }
    }
    @Module({ controllers: [BatchHandler] })
    class BatchModule {}

    const base = FIXTURES['marketing-preference-updated.v1'];
    await h.publisher.publish(
      topic,
      Array.from({ length: 20 }, (_, i) => ({
        key: `k${i}`,
        value: { ...base, eventId: `e${i}` },
        eventId: `e${i}`,
      })),
    );
    const consumer = new EventConsumer(h.kafka, h.codec, h.publisher, {
      service: 'nest-batch-test',
      groupId: uniqueName('nest-batch'),
      topics: [topic],
      deadLetterTopic,
    });
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(BatchModule, {
      strategy: new KafkaEventTransport(consumer),
      logger: false,
    });
    await app.listen();
    try {
      await waitFor(() => batches.reduce((a, b) => a + b, 0) === 20, {
        description: 'all 20 events in batches',
      });
      expect(batches.length).toBeLessThan(20);
    } finally {
      await app.close();
    }
  });
});
