import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '@jest/types';
import { ensureChromium } from '../stack/chromium';
import { StackError } from '../stack/errors';
import { loadStackSettings } from '../stack/settings';
import { up } from '../stack/stack';

/**
 * Starts the local stack when it is not running (idempotent and fast when it is) and exports its
 * endpoints, so every integration suite talks to a real Kafka, registry and Postgres. When the
 * environment already names a stack (KAFKA_BROKERS and friends, e.g. one provided by docker compose or
 * testcontainers), that one is used and nothing is started. A project without a `test/` folder has only
 * pure specs (tools/jest/tiers.js), so running it alone starts nothing.
 */
export default async function globalSetup(
  _globalConfig: Config.GlobalConfig,
  projectConfig: Config.ProjectConfig,
): Promise<void> {
  if (!existsSync(join(projectConfig.rootDir, 'test'))) return;
  provideChromium();
  if (process.env['KAFKA_BROKERS'] && process.env['SCHEMA_REGISTRY_URL'] && process.env['DATABASE_URL'])
    return;
  const endpoints = await up(loadStackSettings(), () => undefined);
  process.env['KAFKA_BROKERS'] = endpoints.kafkaBrokers;
  process.env['SCHEMA_REGISTRY_URL'] = endpoints.registryUrl;
  process.env['DATABASE_URL'] = endpoints.databaseUrl;
}

/**
 * Chromium for the browser-library test (installed once, like the Kafka jars). A machine that cannot
 * install it fails that test with the reason, not every suite.
 */
function provideChromium(): void {
  if (process.env['OPTSTREAM_CHROMIUM']) return;
  try {
    process.env['OPTSTREAM_CHROMIUM'] = ensureChromium((line) => console.log(`\n${line}`));
  } catch (error) {
    if (!(error instanceof StackError)) throw error;
    process.env['OPTSTREAM_CHROMIUM_ERROR'] = error.describe();
  }
}
