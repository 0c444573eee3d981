import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureApicurio, ensureKafkaJars } from './downloads';
import { awaitKafka, KAFKA, kafkaPid, kafkaReady, startKafka } from './kafka';
import { awaitPostgres, POSTGRES, postgresPid, postgresReady, startPostgres } from './postgres';
import { requireJava } from './prerequisites';
import { stopProcess } from './processes';
import { awaitRegistry, REGISTRY, registryPid, registryReady, startRegistry } from './registry';
import { StackEndpoints, StackSettings, stackEndpoints } from './settings';

export type Log = (line: string) => void;

export interface ComponentStatus {
  readonly name: string;
  readonly pid: number | undefined;
  readonly ready: boolean;
  readonly detail: string;
}

/**
 * Brings the stack up and returns once every component answers real client calls. Idempotent: running
 * components are left alone, stale pid files are cleared, half-started components are awaited.
 */
export async function up(s: StackSettings, log: Log): Promise<StackEndpoints> {
  requireJava();
  const [kafkaLibs, registryJar] = await Promise.all([ensureKafkaJars(s, log), ensureApicurio(s, log)]);
  mkdirSync(s.dataDir, { recursive: true });
  await settleAll([startPostgres(s, log), startKafka(s, kafkaLibs)]);
  await awaitPostgres(s);
  await startRegistry(s, registryJar);
  await settleAll([awaitKafka(s), awaitRegistry(s)]);
  const endpoints = stackEndpoints(s);
  writeEndpoints(s, endpoints);
  return endpoints;
}

/**
 * Like Promise.all, but waits for every start to finish before reporting the first failure, so a failed
 * component never leaves a sibling starting in the background without its pid file written.
 */
async function settleAll(work: readonly Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** The endpoints as an env file, for services started by hand and for `source`-ing in a shell. */
function writeEndpoints(s: StackSettings, e: StackEndpoints): void {
  mkdirSync(s.runDir, { recursive: true });
  writeFileSync(
    join(s.runDir, 'endpoints.env'),
    [
      `KAFKA_BROKERS=${e.kafkaBrokers}`,
      `SCHEMA_REGISTRY_URL=${e.registryUrl}`,
      `DATABASE_URL=${e.databaseUrl}`,
      '',
    ].join('\n'),
  );
}

async function probe(check: () => Promise<boolean>): Promise<boolean> {
  try {
    return await check();
  } catch {
    return false;
  }
}

export async function status(s: StackSettings): Promise<ComponentStatus[]> {
  const e = stackEndpoints(s);
  const [pgReady, kReady, rReady] = await Promise.all([
    probe(() => postgresReady(s)),
    probe(() => kafkaReady(s)),
    probe(() => registryReady(s)),
  ]);
  return [
    {
      name: POSTGRES,
      pid: postgresPid(s),
      ready: pgReady,
      detail: s.externalDatabaseUrl
        ? `external server ${new URL(e.databaseUrl).host}`
        : `127.0.0.1:${s.postgresPort}`,
    },
    { name: KAFKA, pid: kafkaPid(s), ready: kReady, detail: e.kafkaBrokers },
    { name: REGISTRY, pid: registryPid(s), ready: rReady, detail: e.registryUrl },
  ];
}

export async function down(s: StackSettings, log: Log): Promise<void> {
  // Reverse start order: the registry needs Postgres, and Kafka flushes its logs on a clean stop.
  if (await stopProcess(s, REGISTRY, `-Doptstream.stack=${s.root}`)) log(`stopped ${REGISTRY}`);
  if (await stopProcess(s, KAFKA, join(s.dataDir, 'kafka', 'server.properties'), { graceMs: 60_000 }))
    log(`stopped ${KAFKA}`);
  // SIGINT is PostgreSQL's "fast" shutdown: it does not wait for clients to disconnect.
  if (
    !s.externalDatabaseUrl &&
    (await stopProcess(s, POSTGRES, join(s.dataDir, 'postgres'), { signal: 'SIGINT' }))
  ) {
    log(`stopped ${POSTGRES}`);
  }
}

/** Stops everything and wipes the data; the download cache is kept. */
export async function reset(s: StackSettings, log: Log): Promise<void> {
  await down(s, log);
  rmSync(s.dataDir, { recursive: true, force: true });
  rmSync(s.logDir, { recursive: true, force: true });
  log(`wiped ${s.dataDir}`);
}

/** Stops only the broker (fault tests: the gateway must keep accepting while Kafka is away). */
export async function stopKafka(s: StackSettings): Promise<void> {
  await stopProcess(s, KAFKA, join(s.dataDir, 'kafka', 'server.properties'), { graceMs: 60_000 });
}

/** Starts the broker again on its existing data and waits until it answers. */
export async function startKafkaAgain(s: StackSettings, log: Log): Promise<void> {
  await startKafka(s, await ensureKafkaJars(s, log));
  await awaitKafka(s);
}

/** Stops only PostgreSQL, fast shutdown (fault tests: services must ride out a database restart). */
export async function stopPostgres(s: StackSettings): Promise<void> {
  if (s.externalDatabaseUrl) throw new Error('cannot stop an external PostgreSQL');
  await stopProcess(s, POSTGRES, join(s.dataDir, 'postgres'), { signal: 'SIGINT' });
}

/** Starts PostgreSQL again on its existing data and waits until it answers. */
export async function startPostgresAgain(s: StackSettings, log: Log): Promise<void> {
  await startPostgres(s, log);
  await awaitPostgres(s);
}
