import { resolve } from 'node:path';

/**
 * Where the stack lives and which ports it uses. Everything is overridable from the environment so a
 * developer with a busy port, or a CI runner, can move things without editing code.
 */
export interface StackSettings {
  readonly root: string;
  readonly cacheDir: string;
  readonly dataDir: string;
  readonly logDir: string;
  readonly runDir: string;
  readonly kafkaPort: number;
  readonly kafkaControllerPort: number;
  readonly registryPort: number;
  readonly registryManagementPort: number;
  readonly postgresPort: number;
  /** When set, an existing PostgreSQL server is used instead of the embedded one. */
  readonly externalDatabaseUrl: string | undefined;
  readonly postgresUser: string;
  readonly postgresPassword: string;
  /** Extra `-c name=value` server settings, e.g. pg_stat_statements for a profile (docs/benchmarks.md). */
  readonly postgresSettings: readonly string[];
  readonly readyTimeoutMs: number;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name} must be a TCP port (1-65535), got "${raw}"`);
  }
  return value;
}

export function loadStackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
  const root = resolve(env['OPTSTREAM_STACK_DIR'] ?? resolve(__dirname, '../../.stack'));
  return {
    root,
    // Downloads are shared between checkouts only when the user points OPTSTREAM_STACK_CACHE somewhere.
    cacheDir: resolve(env['OPTSTREAM_STACK_CACHE'] ?? resolve(root, 'cache')),
    dataDir: resolve(root, 'data'),
    logDir: resolve(root, 'logs'),
    runDir: resolve(root, 'run'),
    kafkaPort: port(env, 'OPTSTREAM_KAFKA_PORT', 9092),
    kafkaControllerPort: port(env, 'OPTSTREAM_KAFKA_CONTROLLER_PORT', 9093),
    registryPort: port(env, 'OPTSTREAM_REGISTRY_PORT', 8081),
    registryManagementPort: port(env, 'OPTSTREAM_REGISTRY_MANAGEMENT_PORT', 9001),
    postgresPort: port(env, 'OPTSTREAM_POSTGRES_PORT', 54329),
    externalDatabaseUrl: env['OPTSTREAM_EXTERNAL_DATABASE_URL'] || undefined,
    postgresUser: 'optstream',
    postgresPassword: env['OPTSTREAM_POSTGRES_PASSWORD'] ?? 'optstream',
    postgresSettings: (env['OPTSTREAM_POSTGRES_SETTINGS'] ?? '')
      .split(',')
      .map((setting) => setting.trim())
      .filter((setting) => setting !== ''),
    readyTimeoutMs: Number(env['OPTSTREAM_STACK_READY_TIMEOUT_MS'] ?? 180_000),
  };
}

/** Connection strings the services and tests use, derived from the stack settings. */
export interface StackEndpoints {
  readonly kafkaBrokers: string;
  readonly registryUrl: string;
  readonly databaseUrl: string;
  readonly registryDatabaseUrl: string;
}

export function stackEndpoints(s: StackSettings): StackEndpoints {
  const base = s.externalDatabaseUrl
    ? new URL(s.externalDatabaseUrl)
    : new URL(`postgres://${s.postgresUser}:${s.postgresPassword}@127.0.0.1:${s.postgresPort}/optstream`);
  const registryDb = new URL(base.toString());
  registryDb.pathname = '/optstream_registry';
  return {
    kafkaBrokers: `127.0.0.1:${s.kafkaPort}`,
    registryUrl: `http://127.0.0.1:${s.registryPort}/apis/ccompat/v7`,
    databaseUrl: base.toString(),
    registryDatabaseUrl: registryDb.toString(),
  };
}
