import { DataKeyDestroyedError } from '@optstream/identity-data-access';
import { AvroCodec, createKafkaClient, deadLetterAssociatedData, EventPublisher } from '@optstream/kafka';
import { open } from '@optstream/pii-crypto';
import type { Kafka } from 'kafkajs';
import { loadCliConfig } from '../config/cli-config';
import { withIdentityKeys } from '../config/identity-keys';
import type { DeadLetterOpener } from './replay-plan';
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
  else await withOpener(env, io, (opener) => replay(options, kafka, codec, io, opener));
}

/**
 * Sealed dead letters (identity.dead-letter.v1: docs/privacy.md) open with the identity store's data
 * keys, so replay needs DATABASE_URL and OPTSTREAM_MASTER_KEYS; without both they are skipped as SEALED.
 */
async function withOpener(
  env: NodeJS.ProcessEnv,
  io: DlqIo,
  work: (opener: DeadLetterOpener | null) => Promise<void>,
): Promise<void> {
  await withIdentityKeys(env, io.stderr, 'optstream-dlq', async (keys) => {
    if (keys === null) return work(null);
    await work(async (letter) => {
      if (letter.sealedWithKeyId === null || letter.originalValue === null) return letter.originalValue;
      try {
        const key = await keys.keyById(letter.sealedWithKeyId);
        if (key === null) throw new Error(`data key ${letter.sealedWithKeyId} is not in the identity store`);
        return open(key.key, letter.originalValue, deadLetterAssociatedData(letter));
      } catch (error) {
        if (error instanceof DataKeyDestroyedError) return null;
        throw error;
      }
    });
  });
}

async function replay(
  options: DlqReplayOptions,
  kafka: Kafka,
  codec: AvroCodec,
  io: DlqIo,
  opener: DeadLetterOpener | null,
): Promise<void> {
  const catalog = await BrokerTopicCatalog.open(kafka);
  try {
    // A mistyped --to fails before anything is read, rather than as one skip per dead letter.
    if (options.to !== undefined && !(await catalog.facts(options.to)).exists)
      throw new Error(`dlq replay --to: topic ${options.to} does not exist`);
    if (options.dryRun) {
      await runDlqReplay(options, { kafka, codec, catalog, sink: null, opener, ...io });
      return;
    }
    // Raw sends only: no schema is registered or used, the bytes go out as they were.
    const publisher = new EventPublisher(kafka, codec, {});
    await publisher.connect();
    try {
      await runDlqReplay(options, { kafka, codec, catalog, sink: publisher, opener, ...io });
    } finally {
      await publisher.disconnect();
    }
  } finally {
    await catalog.close();
  }
}
