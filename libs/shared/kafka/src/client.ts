import { Kafka, KafkaConfig, logLevel, SASLOptions } from 'kafkajs';
import type { KafkaConfig as OurKafkaConfig } from '@optstream/config';

/**
 * The only place that constructs the KafkaJS client, so the library can be swapped (KafkaJS 2.2.4 is
 * its last release) without touching services.
 */
export function createKafkaClient(config: OurKafkaConfig, clientId: string): Kafka {
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';
  const options: KafkaConfig = {
    clientId: config.KAFKA_CLIENT_ID ?? clientId,
    brokers: config.KAFKA_BROKERS,
    ssl: config.KAFKA_SSL,
    logLevel: logLevel.WARN,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 100, retries: 8, maxRetryTime: 10_000 },
  };
  const sasl = saslOptions(config);
  if (sasl) options.sasl = sasl;
  return new Kafka(options);
}

function saslOptions(config: OurKafkaConfig): SASLOptions | undefined {
  if (!config.KAFKA_SASL_MECHANISM) return undefined;
  const credentials = {
    username: config.KAFKA_SASL_USERNAME ?? '',
    password: config.KAFKA_SASL_PASSWORD ?? '',
  };
  switch (config.KAFKA_SASL_MECHANISM) {
    case 'plain':
      return { mechanism: 'plain', ...credentials };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', ...credentials };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', ...credentials };
  }
}
