import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { childFailure } from './children';
import { StackError } from './errors';
import { requireMaven } from './prerequisites';
import { StackSettings } from './settings';
import {
  APICURIO_VERSION,
  KAFKA_VERSION,
  MAVEN_CENTRAL,
  MAVEN_DEPENDENCY_PLUGIN,
  RELOAD4J_VERSION,
  SLF4J_RELOAD4J_VERSION,
} from './versions';

/**
 * Every download lands in a temporary folder and is renamed into place only when complete, so an
 * interrupted download is retried on the next `up` instead of leaving a half-filled cache.
 */
const COMPLETE = '.complete';

export function kafkaLibDir(s: StackSettings): string {
  return join(s.cacheDir, `kafka-${KAFKA_VERSION}`, 'libs');
}

export function apicurioDir(s: StackSettings): string {
  return join(s.cacheDir, `apicurio-registry-${APICURIO_VERSION}`);
}

export function apicurioJar(s: StackSettings): string {
  return join(apicurioDir(s), `apicurio-registry-app-${APICURIO_VERSION}-runner.jar`);
}

function kafkaPom(): string {
  const dep = (g: string, a: string, v: string) =>
    `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`;
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.optstream.stack</groupId><artifactId>kafka-libs</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>
    ${dep('org.apache.kafka', 'kafka_2.13', KAFKA_VERSION)}
    ${dep('org.apache.kafka', 'kafka-tools', KAFKA_VERSION)}
    ${dep('org.slf4j', 'slf4j-reload4j', SLF4J_RELOAD4J_VERSION)}
    ${dep('ch.qos.reload4j', 'reload4j', RELOAD4J_VERSION)}
  </dependencies>
</project>`;
}

export async function ensureKafkaJars(s: StackSettings, log: (line: string) => void): Promise<string> {
  const libs = kafkaLibDir(s);
  if (existsSync(join(libs, COMPLETE))) return libs;
  requireMaven();
  log(`downloading Apache Kafka ${KAFKA_VERSION} jars from Maven Central (once)…`);
  const work = `${libs}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const pom = join(work, 'pom.xml');
  writeFileSync(pom, kafkaPom());
  const result = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      pom,
      `${MAVEN_DEPENDENCY_PLUGIN}:copy-dependencies`,
      '-DincludeScope=runtime',
      `-DoutputDirectory=${join(work, 'jars')}`,
    ],
    { encoding: 'utf8' },
  );
  const failure = childFailure('mvn', result);
  if (failure !== undefined) {
    throw new StackError(
      'kafka',
      `Maven could not fetch the Kafka jars: ${failure}`,
      `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n'),
    );
  }
  rmSync(libs, { recursive: true, force: true });
  renameSync(join(work, 'jars'), libs);
  rmSync(work, { recursive: true, force: true });
  writeFileSync(join(libs, COMPLETE), `${new Date().toISOString()}\n`);
  return libs;
}

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

export async function ensureApicurio(s: StackSettings, log: (line: string) => void): Promise<string> {
  const dir = apicurioDir(s);
  if (existsSync(join(dir, COMPLETE))) return apicurioJar(s);
  const base = `${MAVEN_CENTRAL}/io/apicurio/apicurio-registry-app/${APICURIO_VERSION}/apicurio-registry-app-${APICURIO_VERSION}-all.tar.gz`;
  log(`downloading Apicurio Registry ${APICURIO_VERSION} from Maven Central (once)…`);
  const work = `${dir}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const [archive, sha1] = await Promise.all([download(base), download(`${base}.sha1`)]);
    const expected = sha1.toString('utf8').trim().split(/\s+/)[0];
    const actual = createHash('sha1').update(archive).digest('hex');
    if (expected !== actual)
      throw new Error(`checksum mismatch for ${base}: expected ${expected}, got ${actual}`);
    const tarball = join(work, 'registry.tar.gz');
    await writeFile(tarball, archive);
    const untar = spawnSync('tar', ['xzf', tarball, '-C', work], { encoding: 'utf8' });
    const untarFailure = childFailure('tar', untar);
    if (untarFailure !== undefined) throw new Error(`${untarFailure}: ${untar.stderr ?? ''}`);
    rmSync(tarball);
  } catch (error) {
    throw new StackError('schema-registry', `could not fetch Apicurio Registry: ${(error as Error).message}`);
  }
  if (!readdirSync(work).some((f) => f.endsWith('-runner.jar'))) {
    throw new StackError(
      'schema-registry',
      `the Apicurio bundle has no runner jar (contents: ${readdirSync(work).join(', ')})`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(work, dir);
  await writeFile(join(dir, COMPLETE), `${new Date().toISOString()}\n`);
  return apicurioJar(s);
}

export async function readCompleteStamp(dir: string): Promise<string | undefined> {
  try {
    return (await readFile(join(dir, COMPLETE), 'utf8')).trim();
  } catch {
    return undefined;
  }
}
