import {
  env,
  kafkaConfigSchema,
  KAFKA_SECRET_NAMES,
  LINK_SECRET_NAMES,
  linkSettings,
  loadConfig,
  withSecretFiles,
} from '@optstream/config';
import { DEAD_LETTER_RETENTION_MS, TOPICS } from '@optstream/contracts';
import { z } from 'zod';
import { parseApiKeys } from './api-keys';

const base64Key = z
  .string()
  .refine((v) => Buffer.from(v, 'base64').length >= 32, 'must be at least 32 bytes, base64-encoded');

export const projectorConfigSchema = kafkaConfigSchema.extend({
  PORT: env.port(8090),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().min(1),
  DATABASE_POOL_SIZE: env.positiveInt(10),
  /** The same HMAC key the gateway and the resolver use: lookups hash the queried address with it. */
  OPTSTREAM_HASH_KEY: base64Key,
  /** `key:scope+scope,...` with scopes read, audiences, links, admin. */
  READ_API_KEYS: z.string().default('').transform(parseApiKeys),
  /**
   * Names the projection in Postgres (its active-version pointer). Two names are two independent
   * read models in one database: tests, or a benchmark next to the live one.
   */
  PROJECTION_NAME: z.string().min(1).default('preferences'),
  CONSUMER_GROUP: z.string().min(1).default('preference-projector'),
  /** Off for an API-only replica: it serves the read model and consumes nothing. */
  PROJECTOR_CONSUME: env.boolean(true),
  // Topic names default to the contract; tests point them at topics of their own.
  PREFERENCES_TOPIC: z.string().min(1).default(TOPICS.marketingPreferenceUpdated.name),
  IDENTITY_TOPIC: z.string().min(1).default(TOPICS.identity.name),
  STATE_TOPIC: z.string().min(1).default(TOPICS.contactPreferencesState.name),
  /** Where erasure requests go (the resolver carries them out); the gateway's inbound topic. */
  INBOUND_TOPIC: z.string().min(1).default(TOPICS.contactInbound.name),
  DEAD_LETTER_TOPIC: z.string().min(1).default(TOPICS.preferencesDeadLetter.name),
  DEAD_LETTER_RETENTION_MS: env.positiveInt(DEAD_LETTER_RETENTION_MS),
  TOPIC_PARTITIONS: z.coerce.number().int().positive().optional(),
  MAX_PAGE_SIZE: env.positiveInt(100_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  // GET /v1/contacts/{id}/links mints signed links (docs/preference-center.md).
  ...linkSettings,
});

export type ProjectorConfig = z.infer<typeof projectorConfigSchema>;

const SECRETS = [
  ...KAFKA_SECRET_NAMES,
  ...LINK_SECRET_NAMES,
  'OPTSTREAM_HASH_KEY',
  'READ_API_KEYS',
  'DATABASE_URL',
] as const;

export function loadProjectorConfig(source: NodeJS.ProcessEnv): ProjectorConfig {
  return loadConfig('preference-projector', projectorConfigSchema, withSecretFiles(source, SECRETS));
}
