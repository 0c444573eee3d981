import { z } from 'zod';
import { env } from './fields';

/** What every service needs to reach Kafka and the schema registry. */
export const kafkaConfigSchema = z.object({
  KAFKA_BROKERS: env.list().describe('comma-separated host:port list'),
  KAFKA_CLIENT_ID: z.string().min(1).optional(),
  KAFKA_SSL: env.boolean(false),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
  SCHEMA_REGISTRY_URL: env.url(),
  SCHEMA_REGISTRY_USERNAME: z.string().optional(),
  SCHEMA_REGISTRY_PASSWORD: z.string().optional(),
});

export type KafkaConfig = z.infer<typeof kafkaConfigSchema>;

export const KAFKA_SECRET_NAMES = ['KAFKA_SASL_PASSWORD', 'SCHEMA_REGISTRY_PASSWORD'] as const;
