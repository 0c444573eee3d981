import { kafkaConfigSchema, KAFKA_SECRET_NAMES, loadConfig, withSecretFiles } from '@optstream/config';
import { TOPICS } from '@optstream/contracts';
import { z } from 'zod';

/** The CLI reads Kafka and the registry like the services do (same variables, `*_FILE` secrets too). */
export const cliConfigSchema = kafkaConfigSchema.extend({
  PREFERENCES_TOPIC: z.string().min(1).default(TOPICS.marketingPreferenceUpdated.name),
  IDENTITY_TOPIC: z.string().min(1).default(TOPICS.identity.name),
});

export type CliConfig = z.infer<typeof cliConfigSchema>;

export function loadCliConfig(source: NodeJS.ProcessEnv): CliConfig {
  return loadConfig('optstream', cliConfigSchema, withSecretFiles(source, KAFKA_SECRET_NAMES));
}
