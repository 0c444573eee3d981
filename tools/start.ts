import { join } from 'node:path';
import { kafkaConfigSchema, loadConfig } from '@optstream/config';
import { ALL_TOPICS } from '@optstream/contracts';
import { AvroCodec, createKafkaClient, provisionContracts } from '@optstream/kafka';
import {
  createLocalSystem,
  localServicePorts,
  SYSTEM_SERVICES,
  type ServiceName,
  type SystemSecrets,
} from '@optstream/local-system';
import { devSecrets } from './dev-secrets';
import { loadStackSettings } from './stack/settings';
import { up } from './stack/stack';

/**
 * `npm start`: the local stack, every topic and schema, the provider simulators and every service as its
 * own process (logs in .stack/logs/<service>.log). Waits until each answers its health check, prints
 * where to send events, and stops the services on Ctrl-C (the stack keeps running; `npm run stack:down`).
 */
async function main(): Promise<void> {
  const settings = loadStackSettings();
  const endpoints = await up(settings, (line) => console.log(`stack: ${line}`));
  const config = loadConfig('start', kafkaConfigSchema, {
    KAFKA_BROKERS: endpoints.kafkaBrokers,
    SCHEMA_REGISTRY_URL: endpoints.registryUrl,
  });
  await provisionContracts(createKafkaClient(config, 'optstream-start'), AvroCodec.fromConfig(config));
  const secrets = devSecrets(settings.runDir);
  const ports = localServicePorts();
  const { system, simulatorsUrl } = createLocalSystem({
    stack: {
      kafkaBrokers: endpoints.kafkaBrokers,
      registryUrl: endpoints.registryUrl,
      databaseUrl: endpoints.databaseUrl,
    },
    secrets,
    ports,
    logDir: settings.logDir,
    spoolDir: join(settings.root, 'spool', 'ingestion-gateway'),
  });
  // Services never outlive `npm start`: Ctrl-C, a terminal hang-up, a kill, or a failed start stop them.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => {
      system.killAllNow();
      process.exit(0);
    });
  process.on('exit', () => system.killAllNow());
  for (const service of SYSTEM_SERVICES) console.log(`starting ${service.name} on :${ports[service.name]}…`);
  await system.start(SYSTEM_SERVICES.map((s) => s.name));
  printWelcome(secrets, settings.logDir, ALL_TOPICS.length, simulatorsUrl, ports);
}

function printWelcome(
  secrets: SystemSecrets,
  logDir: string,
  topics: number,
  simulators: string,
  ports: Record<ServiceName, number>,
): void {
  const writeKey = secrets.SEGMENT_WRITE_KEYS.split('=')[0];
  const readKey = secrets.READ_API_KEYS.split(':')[0];
  console.log(`
optstream is running (${topics} topics, schemas registered).

  ingestion gateway     http://127.0.0.1:${ports['ingestion-gateway']}   (webhooks, Segment-compatible /v1/*, signed /v1/preferences)
  identity resolver     http://127.0.0.1:${ports['identity-resolver']}   (health, metrics)
  read API              http://127.0.0.1:${ports['preference-projector']}   (API key header x-api-key; OpenAPI at /openapi.json)
  connector-email       http://127.0.0.1:${ports['connector-email']}   (SendGrid, Mailchimp, Braze; health, metrics)
  connector-sms         http://127.0.0.1:${ports['connector-sms']}   (Attentive; health, metrics)
  connector-push        http://127.0.0.1:${ports['connector-push']}   (OneSignal; health, metrics)
  provider simulators   ${simulators}   (what each platform holds: ${simulators}/_sim/state/…)
  logs                  ${logDir}
  dev credentials       .stack/run/dev-secrets.env

Try it — a push opt-out from the mobile app, then read the contact back:

  curl -s -u ${writeKey}: -H 'content-type: application/json' http://127.0.0.1:${ports['ingestion-gateway']}/v1/track \\
    -d '{"type":"track","event":"Marketing Preference Updated","userId":"8d3f5c2a-1b7e-4c9d-a6f0-2e4b8c1d7a93","messageId":"demo-1","timestamp":"2026-01-01T12:00:00Z","properties":{"channel":"push","new_status":"unsubscribed","source_of_change":"Mobile App Settings"}}'
  curl -s -H 'x-api-key: ${readKey}' http://127.0.0.1:${ports['preference-projector']}/v1/contacts/8d3f5c2a-1b7e-4c9d-a6f0-2e4b8c1d7a93
  curl -s ${simulators}/_sim/state/braze/users/8d3f5c2a-1b7e-4c9d-a6f0-2e4b8c1d7a93

Then that contact's signed links (preference center, RFC 8058 one-click unsubscribe; docs/preference-center.md):

  curl -s -H 'x-api-key: ${readKey}' http://127.0.0.1:${ports['preference-projector']}/v1/contacts/8d3f5c2a-1b7e-4c9d-a6f0-2e4b8c1d7a93/links
  curl -s -X POST -d 'List-Unsubscribe=One-Click' <the unsubscribeUrl it printed>

\`npm run demo\` (in another terminal) plays the opt-out scenarios end to end.
Ctrl-C stops the services; \`npm run stack:down\` stops Kafka, the registry and PostgreSQL.`);
}

main().catch((error: unknown) => {
  console.error(
    error instanceof Error && 'describe' in error ? (error as { describe(): string }).describe() : error,
  );
  process.exit(1);
});
