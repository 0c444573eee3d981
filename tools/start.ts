import { ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { kafkaConfigSchema, loadConfig } from '@optstream/config';
import { ALL_TOPICS } from '@optstream/contracts';
import { AvroCodec, createKafkaClient, provisionContracts } from '@optstream/kafka';
import { devSecrets } from './dev-secrets';
import { loadStackSettings } from './stack/settings';
import { up } from './stack/stack';
import { waitUntil } from './stack/wait';

/**
 * `npm start`: the local stack, every topic and schema, and every service as its own process (logs in
 * .stack/logs/<service>.log). Waits until each answers /health/ready, prints where to send events, and
 * stops the services on Ctrl-C (the stack keeps running; `npm run stack:down` stops it).
 */
const root = resolve(__dirname, '..');
const SERVICES = [
  { name: 'ingestion-gateway', port: 8080 },
  { name: 'identity-resolver', port: 8082 },
  { name: 'preference-projector', port: 8090 },
] as const;

async function main(): Promise<void> {
  const settings = loadStackSettings();
  const endpoints = await up(settings, (line) => console.log(`stack: ${line}`));
  const config = loadConfig('start', kafkaConfigSchema, {
    KAFKA_BROKERS: endpoints.kafkaBrokers,
    SCHEMA_REGISTRY_URL: endpoints.registryUrl,
  });
  await provisionContracts(createKafkaClient(config, 'optstream-start'), AvroCodec.fromConfig(config));
  const secrets = devSecrets(settings.runDir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...secrets,
    KAFKA_BROKERS: endpoints.kafkaBrokers,
    SCHEMA_REGISTRY_URL: endpoints.registryUrl,
    DATABASE_URL: endpoints.databaseUrl,
    SPOOL_DIR: join(settings.root, 'spool', 'ingestion-gateway'),
    TS_NODE_PROJECT: join(root, 'tsconfig.base.json'),
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
  };
  const children = SERVICES.map((service) => startService(service.name, service.port, env, settings.logDir));
  const stopAll = () => {
    for (const child of children) child.kill('SIGTERM');
  };
  // Services never outlive `npm start`: Ctrl-C, a terminal hang-up, a kill, or a failed start stop them.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stopAll);
  process.on('exit', stopAll);
  for (const child of children)
    child.on(
      'exit',
      (code) => code !== 0 && code !== null && console.error(`a service exited (${code}); see the logs`),
    );
  for (const service of SERVICES) {
    const ready = await waitUntil(
      async () =>
        (await fetch(`http://127.0.0.1:${service.port}/health/ready`, { signal: AbortSignal.timeout(1_000) }))
          .ok,
      { timeoutMs: 120_000, intervalMs: 500, stillAlive: () => children.every((c) => c.exitCode === null) },
    );
    if (!ready.ok) {
      stopAll();
      throw new Error(
        `${service.name} did not become ready (${ready.lastError}); see ${join(settings.logDir, `${service.name}.log`)}`,
      );
    }
  }
  printWelcome(secrets, settings.logDir, ALL_TOPICS.length);
}

function startService(name: string, port: number, env: NodeJS.ProcessEnv, logDir: string): ChildProcess {
  const log = openSync(join(logDir, `${name}.log`), 'a');
  // ts-node keeps the decorator metadata NestJS's dependency injection reads.
  return spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', `apps/${name}/src/main.ts`],
    {
      cwd: root,
      env: { ...env, PORT: String(port) },
      stdio: ['ignore', log, log],
    },
  );
}

function printWelcome(secrets: Record<string, string>, logDir: string, topics: number): void {
  const writeKey = (secrets['SEGMENT_WRITE_KEYS'] ?? '').split('=')[0];
  const readKey = (secrets['READ_API_KEYS'] ?? '').split(':')[0];
  console.log(`
optstream is running (${topics} topics, schemas registered).

  ingestion gateway     http://127.0.0.1:8080   (webhooks, Segment-compatible /v1/*, signed /v1/preferences)
  identity resolver     http://127.0.0.1:8082   (health, metrics)
  read API              http://127.0.0.1:8090   (API key header x-api-key; OpenAPI at /openapi.json)
  logs                  ${logDir}
  dev credentials       .stack/run/dev-secrets.env

Try it — a push opt-out from the mobile app, then read the contact back:

  curl -s -u ${writeKey}: -H 'content-type: application/json' http://127.0.0.1:8080/v1/track \\
    -d '{"type":"track","event":"Marketing Preference Updated","userId":"8d3f5c2a-1b7e-4c9d-a6f0-2e4b8c1d7a93","messageId":"demo-1","timestamp":"2026-01-01T12:00:00Z","properties":{"channel":"push","new_status":"unsubscribed","source_of_change":"Mobile App Settings"}}'
  curl -s -H 'x-api-key: ${readKey}' http://127.0.0.1:8090/v1/contacts/8d3f5c2a-1b7e-4c9d-a6f0-2e4b8c1d7a93

Ctrl-C stops the services; \`npm run stack:down\` stops Kafka, the registry and PostgreSQL.`);
}

main().catch((error: unknown) => {
  console.error(
    error instanceof Error && 'describe' in error ? (error as { describe(): string }).describe() : error,
  );
  process.exit(1);
});
