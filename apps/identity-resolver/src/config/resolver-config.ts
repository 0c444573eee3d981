import { env, kafkaConfigSchema, KAFKA_SECRET_NAMES, loadConfig, withSecretFiles } from '@optstream/config';
import { DEAD_LETTER_RETENTION_MS, TOPICS } from '@optstream/contracts';
import { z } from 'zod';

const base64Key = z
  .string()
  .refine((v) => Buffer.from(v, 'base64').length >= 32, 'must be at least 32 bytes, base64-encoded');

export const resolverConfigSchema = kafkaConfigSchema
  .extend({
    DATABASE_URL: z.string().min(1),
    /** Each partition handled in parallel holds one connection for its batch's transaction. */
    DATABASE_POOL_SIZE: env.positiveInt(16),
    /** The gateway's HMAC key: emailHash/phoneHash must match the hashes it keys messages with. */
    OPTSTREAM_HASH_KEY: base64Key,
    /** `id=base64,…`: every master key that may have wrapped a stored data key. */
    OPTSTREAM_MASTER_KEYS: env.keyRing(),
    OPTSTREAM_ACTIVE_MASTER_KEY_ID: z.string().min(1),
    PORT: env.port(8082),
    HOST: z.string().default('0.0.0.0'),
    CONSUMER_GROUP: z.string().min(1).default('identity-resolver'),
    /**
     * Partitions handled in parallel by one replica; each partition stays strictly in order. All of a
     * fetch's partitions at once by default (the contract's 12): a fetch's batches then cost one
     * batch's time, not several in a row.
     */
    PARTITIONS_CONCURRENCY: env.positiveInt(12),
    /** Topic names: the contract's by default; tests and the benchmark run on topics of their own. */
    INBOUND_TOPIC: z.string().min(1).default(TOPICS.contactInbound.name),
    IDENTITY_TOPIC: z.string().min(1).default(TOPICS.identity.name),
    PREFERENCES_TOPIC: z.string().min(1).default(TOPICS.marketingPreferenceUpdated.name),
    DEAD_LETTER_TOPIC: z.string().min(1).default(TOPICS.identityDeadLetter.name),
    DEAD_LETTER_RETENTION_MS: env.positiveInt(DEAD_LETTER_RETENTION_MS),
    TOPIC_PARTITIONS: z.coerce.number().int().positive().optional(),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  })
  .refine((c) => c.OPTSTREAM_ACTIVE_MASTER_KEY_ID in c.OPTSTREAM_MASTER_KEYS, {
    path: ['OPTSTREAM_ACTIVE_MASTER_KEY_ID'],
    message: 'must name one of the keys in OPTSTREAM_MASTER_KEYS',
  });

export type ResolverConfig = z.infer<typeof resolverConfigSchema>;

const SECRETS = [
  ...KAFKA_SECRET_NAMES,
  'DATABASE_URL',
  'OPTSTREAM_HASH_KEY',
  'OPTSTREAM_MASTER_KEYS',
] as const;

export function loadResolverConfig(source: NodeJS.ProcessEnv): ResolverConfig {
  return loadConfig('identity-resolver', resolverConfigSchema, withSecretFiles(source, SECRETS));
}
