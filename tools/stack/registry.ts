import { join } from 'node:path';
import { StackError } from './errors';
import { javaCommand } from './prerequisites';
import { portInUse } from './ports';
import { logTail, runningPid, startDetached } from './processes';
import { StackSettings, stackEndpoints } from './settings';
import { waitUntil } from './wait';

export const REGISTRY = 'schema-registry';

/** The marker is the instance's own port setting, so two stacks on one machine never confuse pids. */
function marker(s: StackSettings): string {
  return `-Doptstream.stack=${join(s.root)}`;
}

export function registryPid(s: StackSettings): number | undefined {
  return runningPid(s, REGISTRY, marker(s));
}

function jdbcUrl(s: StackSettings): { url: string; user: string; password: string } {
  const db = new URL(stackEndpoints(s).registryDatabaseUrl);
  return {
    url: `jdbc:postgresql://${db.hostname}:${db.port || 5432}${db.pathname}`,
    user: decodeURIComponent(db.username),
    password: decodeURIComponent(db.password),
  };
}

export async function startRegistry(s: StackSettings, jar: string): Promise<void> {
  if (registryPid(s) !== undefined) return;
  for (const port of [s.registryPort, s.registryManagementPort]) {
    if (await portInUse(port)) {
      throw new StackError(
        REGISTRY,
        `port ${port} is taken by a process this stack did not start; set OPTSTREAM_REGISTRY_PORT / OPTSTREAM_REGISTRY_MANAGEMENT_PORT`,
      );
    }
  }
  const db = jdbcUrl(s);
  await startDetached(s, {
    name: REGISTRY,
    command: javaCommand(),
    args: ['-Xmx512m', marker(s), '-jar', jar],
    marker: marker(s),
    cwd: s.dataDir,
    env: {
      ...process.env,
      QUARKUS_HTTP_HOST: '127.0.0.1',
      QUARKUS_HTTP_PORT: String(s.registryPort),
      QUARKUS_MANAGEMENT_HOST: '127.0.0.1',
      QUARKUS_MANAGEMENT_PORT: String(s.registryManagementPort),
      // Without SQL storage Apicurio keeps schemas in memory, and every message written with their ids
      // becomes unreadable after a restart.
      APICURIO_STORAGE_KIND: 'sql',
      APICURIO_STORAGE_SQL_KIND: 'postgresql',
      APICURIO_DATASOURCE_URL: db.url,
      APICURIO_DATASOURCE_USERNAME: db.user,
      APICURIO_DATASOURCE_PASSWORD: db.password,
      APICURIO_DATASOURCE_JDBC_INITIAL_SIZE: '1',
      APICURIO_DATASOURCE_JDBC_MIN_SIZE: '1',
      APICURIO_DATASOURCE_JDBC_MAX_SIZE: '5',
    },
  });
}

export async function registryReady(s: StackSettings): Promise<boolean> {
  const response = await fetch(`${stackEndpoints(s).registryUrl}/subjects`, {
    signal: AbortSignal.timeout(2_000),
  });
  return response.ok;
}

/**
 * Ready means the Confluent-compatible API answers. Then the global compatibility rule is set to
 * BACKWARD through that API (3.0.x ignores the system property), which also avoids the ccompat quirk
 * where a subject without its own rule reports the global one.
 */
export async function awaitRegistry(s: StackSettings): Promise<void> {
  const ready = await waitUntil(() => registryReady(s), {
    timeoutMs: s.readyTimeoutMs,
    intervalMs: 500,
    stillAlive: () => registryPid(s) !== undefined,
  });
  if (!ready.ok) throw new StackError(REGISTRY, ready.lastError, logTail(s, REGISTRY));
  const response = await fetch(`${stackEndpoints(s).registryUrl}/config`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ compatibility: 'BACKWARD' }),
  });
  if (!response.ok)
    throw new StackError(
      REGISTRY,
      `setting the global BACKWARD rule failed: ${response.status} ${await response.text()}`,
    );
}
