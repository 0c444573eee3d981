import { AvroCodec, createKafkaClient, EventPublisher } from '@optstream/kafka';
import type { Kafka } from 'kafkajs';
import { loadCliConfig } from '../config/cli-config';
import type { DlqOptions, DlqReplayOptions } from './dlq-options';
import { assertTopicExists } from './read-dead-letters';
import { runDlqList, type DlqIo } from './run-list';
import { runDlqReplay } from './run-replay';
import { BrokerTopicCatalog } from './topic-catalog';

/** `optstream dlq …` with configuration from the environment (KAFKA_*, SCHEMA_REGISTRY_*), like `history`. */
export async function dlqFromEnv(options: DlqOptions, env: NodeJS.ProcessEnv, io: DlqIo): Promise<void> {
  const config = loadCliConfig(env);
  const kafka = createKafkaClient(config, 'optstream-dlq');
  const codec = AvroCodec.fromConfig(config);
  await assertTopicExists(kafka, options.topic);
  if (options.command === 'list') await runDlqList(options, { kafka, codec, ...io });
  else await replay(options, kafka, codec, io);
}

async function replay(options: DlqReplayOptions, kafka: Kafka, codec: AvroCodec, io: DlqIo): Promise<void> {
  const catalog = await BrokerTopicCatalog.open(kafka);
  try {
    // A mistyped --to fails before anything is read, rather than as one skip per dead letter.
    if (options.to !== undefined && !(await catalog.facts(options.to)).exists)
      throw new Error(`dlq replay --to: topic ${options.to} does not exist`);
    if (options.dryRun) {
      await runDlqReplay(options, { kafka, codec, catalog, sink: null, ...io });
      return;
    }
    // Raw sends only: no schema is registered or used, the bytes go out as they were.
    const publisher = new EventPublisher(kafka, codec, {});
    await publisher.connect();
    try {
      await runDlqReplay(options, { kafka, codec, catalog, sink: publisher, ...io });
    } finally {
      await publisher.disconnect();
    }
  } finally {
    await catalog.close();
  }
}
