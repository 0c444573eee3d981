import { kafkaConfigSchema, loadConfig } from '@optstream/config';
import { ALL_TOPICS } from '@optstream/contracts';
import { AvroCodec, createKafkaClient, provisionContracts } from '@optstream/kafka';
import { loadStackSettings } from './stack/settings';
import { up } from './stack/stack';

/**
 * `npm start`: brings up the local stack, creates the topics and registers the schemas, then says
 * where everything is. (Services join here as they are built; see README.)
 */
async function main(): Promise<void> {
  const settings = loadStackSettings();
  const endpoints = await up(settings, (line) => console.log(`stack: ${line}`));
  const config = loadConfig('start', kafkaConfigSchema, {
    KAFKA_BROKERS: endpoints.kafkaBrokers,
    SCHEMA_REGISTRY_URL: endpoints.registryUrl,
  });
  const { created } = await provisionContracts(
    createKafkaClient(config, 'optstream-start'),
    AvroCodec.fromConfig(config),
  );
  console.log(
    `\noptstream stack is ready (${created.length} topics created, ${ALL_TOPICS.length} declared, schemas registered)`,
  );
  console.log(`  Kafka             ${endpoints.kafkaBrokers}`);
  console.log(`  Schema registry   ${endpoints.registryUrl}`);
  console.log(`  PostgreSQL        ${endpoints.databaseUrl.replace(/:[^:@/]*@/, ':***@')}`);
  console.log(`  Topics            ${ALL_TOPICS.map((t) => t.name).join(', ')}`);
  console.log(`  Logs              ${settings.logDir}`);
  console.log('\nStop it with `npm run stack:down`; `npm run stack:status` shows what runs.');
}

main().catch((error: unknown) => {
  console.error(
    error instanceof Error && 'describe' in error ? (error as { describe(): string }).describe() : error,
  );
  process.exit(1);
});
