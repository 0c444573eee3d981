import { env, kafkaConfigSchema, KAFKA_SECRET_NAMES, loadConfig, withSecretFiles } from '@optstream/config';
import { DEAD_LETTER_RETENTION_MS, TOPICS } from '@optstream/contracts';
import type { Channel } from '@optstream/connectors-domain';
import { z } from 'zod';

/** Each connector's own HTTP port (health, metrics) and consumer group, by channel. */
export const CONNECTOR_DEFAULTS: Readonly<Record<Channel, { port: number; providers: string }>> = {
  email: { port: 8091, providers: 'sendgrid,mailchimp,braze' },
  sms: { port: 8092, providers: 'attentive' },
  push: { port: 8093, providers: 'onesignal' },
};

export const connectorConfigSchema = (channel: Channel) =>
  kafkaConfigSchema.extend({
    PORT: env.port(CONNECTOR_DEFAULTS[channel].port),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: z.string().min(1),
    DATABASE_POOL_SIZE: env.positiveInt(5),
    /** Opens the email/phone of contacts for providers keyed by address; read-only use. */
    OPTSTREAM_MASTER_KEYS: env.keyRing(),
    CONSUMER_GROUP: z.string().min(1).default(`connector-${channel}`),
    STATE_TOPIC: z.string().min(1).default(TOPICS.contactPreferencesState.name),
    DEAD_LETTER_TOPIC: z.string().min(1).default(TOPICS.connectorsDeadLetter.name),
    DEAD_LETTER_RETENTION_MS: env.positiveInt(DEAD_LETTER_RETENTION_MS),
    TOPIC_PARTITIONS: z.coerce.number().int().positive().optional(),
    PARTITIONS_CONCURRENCY: env.positiveInt(4),
    /** Which providers this connector keeps in sync, comma-separated. */
    CONNECTOR_PROVIDERS: env.list().default(CONNECTOR_DEFAULTS[channel].providers),
    PARK_RETRY_BASE_MS: env.positiveInt(30_000),
    PARK_RETRY_MAX_MS: env.positiveInt(15 * 60_000),
    PARK_MAX_ATTEMPTS: env.positiveInt(10),
    PARKED_POLL_INTERVAL_MS: env.positiveInt(5_000),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  });

export type ConnectorConfig = z.infer<ReturnType<typeof connectorConfigSchema>>;

export const CONNECTOR_SECRETS = [...KAFKA_SECRET_NAMES, 'DATABASE_URL', 'OPTSTREAM_MASTER_KEYS'] as const;

export function loadConnectorConfig(channel: Channel, source: NodeJS.ProcessEnv): ConnectorConfig {
  return loadConfig(
    `connector-${channel}`,
    connectorConfigSchema(channel),
    withSecretFiles(source, CONNECTOR_SECRETS),
  );
}
