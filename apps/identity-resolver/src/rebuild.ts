import 'reflect-metadata';
import { ConfigError } from '@optstream/config';
import { openIdentityDatabase } from '@optstream/identity-data-access';
import { AvroCodec, createKafkaClient } from '@optstream/kafka';
import { createLogger } from '@optstream/observability';
import { loadResolverConfig } from './config/resolver-config';
import { rebuildIdentity } from './rebuild/rebuild-identity';

/**
 * `nx run identity-resolver:rebuild [-- --swap] [-- --schema=identity_rebuild]`: replays identity.v1
 * and marketing-preference-updated.v1 from offset 0 into a fresh schema (default `identity_rebuild`),
 * compares every row with the live tables and prints the differences. `--swap` then swaps the rebuilt
 * tables in atomically (the live ones move to `identity_previous` for rollback); it is refused while
 * facts are committed but unpublished or the log moves on, so stop the resolver first. Same
 * configuration as the service.
 */
async function main(): Promise<void> {
  const config = loadResolverConfig(process.env);
  const arg = (name: string): string | undefined =>
    process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const kafka = createKafkaClient(config, 'identity-resolver-rebuild');
  const codec = AvroCodec.fromConfig(config);
  const log = createLogger('identity-resolver-rebuild', config.LOG_LEVEL, process.stderr);
  const db = await openIdentityDatabase(config.DATABASE_URL, 'identity-resolver-rebuild', 2, log);
  try {
    const report = await rebuildIdentity(kafka, codec, db, {
      identityTopic: config.IDENTITY_TOPIC,
      preferencesTopic: config.PREFERENCES_TOPIC,
      schema: arg('schema') ?? 'identity_rebuild',
      previousSchema: arg('previous-schema') ?? 'identity_previous',
      swap: process.argv.includes('--swap'),
      onProgress: (phase, records) => process.stderr.write(`\r${phase}: ${records} records`),
    });
    process.stderr.write('\n');
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (!report.identical) process.exitCode = 2;
  } finally {
    await db.destroy();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
