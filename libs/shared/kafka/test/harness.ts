import { SchemaName, SCHEMAS, TopicDeclaration } from '@optstream/contracts';
import { testKafkaConfig, uniqueName } from '@optstream/testing';
import { Kafka } from 'kafkajs';
import { AvroCodec, createKafkaClient, ensureTopics, EventPublisher } from '../src';

/** Real Kafka + registry wiring for one test file, with fresh topics per test. */
export class Harness {
  readonly config = testKafkaConfig();
  readonly kafka: Kafka = createKafkaClient(this.config, 'kafka-lib-test');
  readonly codec = AvroCodec.fromConfig(this.config);
  readonly publisher = new EventPublisher(this.kafka, this.codec, {});
  private readonly cleanups: (() => Promise<void>)[] = [];

  async start(): Promise<void> {
    await this.publisher.connect();
  }

  /** Creates a fresh topic with the given schema registered, plus its own dead-letter topic. */
  async topic(schema: SchemaName): Promise<{ topic: string; deadLetterTopic: string }> {
    const topic = uniqueName(`test.${schema}`);
    const deadLetterTopic = `${topic}.dead-letter`;
    const declare = (name: string, valueSchema: SchemaName): TopicDeclaration => ({
      name,
      valueSchema,
      key: 'test',
      partitions: 1,
      configs: {},
      producers: [],
      consumers: [],
      description: 'test topic',
    });
    await ensureTopics(this.kafka, [declare(topic, schema), declare(deadLetterTopic, 'dead-letter.v1')]);
    await this.codec.register(topic, SCHEMAS[schema]);
    await this.codec.register(deadLetterTopic, SCHEMAS['dead-letter.v1']);
    return { topic, deadLetterTopic };
  }

  onCleanup(cleanup: () => Promise<void>): void {
    this.cleanups.push(cleanup);
  }

  async stop(): Promise<void> {
    for (const cleanup of this.cleanups.splice(0).reverse()) await cleanup();
    await this.publisher.disconnect();
  }
}
