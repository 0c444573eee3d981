import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { childFailure } from './children';
import { StackError } from './errors';
import { javaCommand } from './prerequisites';
import { portInUse } from './ports';
import { logTail, runningPid, startDetached } from './processes';
import { StackSettings } from './settings';
import { waitUntil } from './wait';

export const KAFKA = 'kafka';

function kafkaDir(s: StackSettings): string {
  return join(s.dataDir, 'kafka');
}

function configPath(s: StackSettings): string {
  return join(kafkaDir(s), 'server.properties');
}

function serverProperties(s: StackSettings): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${s.kafkaControllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${s.kafkaPort},CONTROLLER://127.0.0.1:${s.kafkaControllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${s.kafkaPort}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${join(kafkaDir(s), 'logs')}`,
    'num.partitions=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=12',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    // Topics are declared in code and created by an admin step; an auto-created topic is a bug.
    'auto.create.topics.enable=false',
    'log.segment.bytes=67108864',
    'log.cleaner.dedupe.buffer.size=33554432',
    '',
  ].join('\n');
}

function log4jProperties(s: StackSettings): string {
  return [
    'log4j.rootLogger=INFO, stdout',
    'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
    'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
    'log4j.logger.kafka=INFO',
    'log4j.logger.org.apache.kafka=INFO',
    'log4j.logger.kafka.request.logger=WARN',
    'log4j.logger.state.change.logger=WARN',
    `# written by the optstream stack for ${s.root}`,
    '',
  ].join('\n');
}

function classpath(libs: string): string {
  return `${libs}/*`;
}

function formatOnce(s: StackSettings, libs: string): void {
  if (existsSync(join(kafkaDir(s), 'logs', 'meta.properties'))) return;
  const java = javaCommand();
  const uuid = spawnSync(java, ['-cp', classpath(libs), 'kafka.tools.StorageTool', 'random-uuid'], {
    encoding: 'utf8',
  });
  const clusterId = uuid.stdout?.trim().split('\n').pop();
  const uuidFailure = childFailure(java, uuid);
  if (uuidFailure !== undefined || !clusterId)
    throw new StackError(
      KAFKA,
      `StorageTool random-uuid failed: ${uuidFailure ?? 'no cluster id printed'}`,
      uuid.stderr?.trim(),
    );
  const format = spawnSync(
    java,
    [
      `-Dlog4j.configuration=file:${join(kafkaDir(s), 'log4j.properties')}`,
      '-cp',
      classpath(libs),
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      configPath(s),
      '--ignore-formatted',
    ],
    { encoding: 'utf8' },
  );
  const formatFailure = childFailure(java, format);
  if (formatFailure !== undefined)
    throw new StackError(
      KAFKA,
      `StorageTool format failed: ${formatFailure}`,
      format.stderr?.trim() || format.stdout?.trim(),
    );
}

export function kafkaPid(s: StackSettings): number | undefined {
  return runningPid(s, KAFKA, configPath(s));
}

export async function startKafka(s: StackSettings, libs: string): Promise<void> {
  if (kafkaPid(s) !== undefined) return;
  for (const port of [s.kafkaPort, s.kafkaControllerPort]) {
    if (await portInUse(port)) {
      throw new StackError(
        KAFKA,
        `port ${port} is taken by a process this stack did not start; set OPTSTREAM_KAFKA_PORT / OPTSTREAM_KAFKA_CONTROLLER_PORT`,
      );
    }
  }
  mkdirSync(join(kafkaDir(s), 'logs'), { recursive: true });
  // Rewritten on every start so a port change in the environment takes effect; the data stays.
  writeFileSync(configPath(s), serverProperties(s));
  writeFileSync(join(kafkaDir(s), 'log4j.properties'), log4jProperties(s));
  formatOnce(s, libs);
  await startDetached(s, {
    name: KAFKA,
    command: javaCommand(),
    args: [
      '-Xms256m',
      '-Xmx1g',
      '-XX:+UseG1GC',
      `-Dlog4j.configuration=file:${join(kafkaDir(s), 'log4j.properties')}`,
      '-cp',
      classpath(libs),
      'kafka.Kafka',
      configPath(s),
    ],
    marker: configPath(s),
  });
}

export async function kafkaReady(s: StackSettings): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'optstream-stack',
    brokers: [`127.0.0.1:${s.kafkaPort}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } finally {
    await admin.disconnect();
  }
}

/** Ready means a KafkaJS admin client can describe the cluster and a controller is elected. */
export async function awaitKafka(s: StackSettings): Promise<void> {
  const ready = await waitUntil(() => kafkaReady(s), {
    timeoutMs: s.readyTimeoutMs,
    intervalMs: 500,
    stillAlive: () => kafkaPid(s) !== undefined,
  });
  if (!ready.ok) throw new StackError(KAFKA, ready.lastError, logTail(s, KAFKA));
}
