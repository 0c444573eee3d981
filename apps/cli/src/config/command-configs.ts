import { env, kafkaConfigSchema, KAFKA_SECRET_NAMES, loadConfig, withSecretFiles } from '@optstream/config';
import { TOPICS } from '@optstream/contracts';
import { z } from 'zod';

const base64Key = z
  .string()
  .refine((v) => Buffer.from(v, 'base64').length >= 32, 'must be at least 32 bytes, base64-encoded');

/** `backfill` publishes like the gateway: same Kafka settings and the same message-key hash key. */
export const backfillConfigSchema = kafkaConfigSchema.extend({
  OPTSTREAM_HASH_KEY: base64Key,
  INBOUND_TOPIC: z.string().min(1).default(TOPICS.contactInbound.name),
});
export type BackfillConfig = z.infer<typeof backfillConfigSchema>;

export function loadBackfillConfig(source: NodeJS.ProcessEnv): BackfillConfig {
  return loadConfig(
    'optstream backfill',
    backfillConfigSchema,
    withSecretFiles(source, [...KAFKA_SECRET_NAMES, 'OPTSTREAM_HASH_KEY']),
  );
}

/**
 * `audit` reads the read model (PostgreSQL) and the platforms; `--repair` also writes the connectors'
 * delivery log. Provider credentials are the connectors' variables (docs/providers.md).
 */
export const auditConfigSchema = z.object({
  DATABASE_URL: z.string().min(1),
  OPTSTREAM_MASTER_KEYS: env.keyRing(),
  PROJECTION_NAME: z.string().min(1).default('preferences'),
});
export type AuditConfig = z.infer<typeof auditConfigSchema>;

export function loadAuditConfig(source: NodeJS.ProcessEnv): AuditConfig {
  return loadConfig(
    'optstream audit',
    auditConfigSchema,
    withSecretFiles(source, ['DATABASE_URL', 'OPTSTREAM_MASTER_KEYS']),
  );
}
