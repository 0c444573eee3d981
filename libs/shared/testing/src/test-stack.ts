import { randomBytes } from 'node:crypto';
import { kafkaConfigSchema, KafkaConfig, loadConfig } from '@optstream/config';

/**
 * The real stack the Jest global setup started (or that the environment names: docker compose,
 * testcontainers, a CI service). Suites never care which one provided it.
 */
export function testKafkaConfig(overrides: NodeJS.ProcessEnv = {}): KafkaConfig {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return loadConfig('test', kafkaConfigSchema, { ...process.env, ...defined });
}

export function testDatabaseUrl(): string {
  const url = process.env['DATABASE_URL'];
  if (!url)
    throw new Error('DATABASE_URL is not set: the Jest global setup exports it after starting the stack');
  return url;
}

/** A fresh name per test, so suites never see each other's topics, groups or subjects. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
