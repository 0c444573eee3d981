import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** What says "a deployment is configured": when any is set, the environment is used as it is. */
const ENDPOINT_NAMES = ['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'DATABASE_URL'] as const;

export interface LocalStackEnv {
  /** Settings to add to the environment (never one it already has). */
  readonly added: Readonly<Record<string, string>>;
  /** What the CLI tells the operator it used, or undefined when it used nothing local. */
  readonly notice: string | undefined;
}

/**
 * With nothing configured, the CLI uses the local stack the way the services under `npm start` do: the
 * endpoints `stack:up` writes to `<stack>/run/endpoints.env` and the development secrets `npm start`
 * keeps in `<stack>/run/dev-secrets.env` (the stack folder is `.stack`, or OPTSTREAM_STACK_DIR).
 */
export function localStackEnv(
  env: NodeJS.ProcessEnv,
  stackDir = env['OPTSTREAM_STACK_DIR'] ?? resolve(__dirname, '../../../../.stack'),
): LocalStackEnv {
  const endpointsFile = join(stackDir, 'run', 'endpoints.env');
  if (ENDPOINT_NAMES.some((name) => env[name]) || !existsSync(endpointsFile))
    return { added: {}, notice: undefined };
  const secretsFile = join(stackDir, 'run', 'dev-secrets.env');
  const found = { ...readEnvFile(secretsFile), ...readEnvFile(endpointsFile) };
  const added = Object.fromEntries(Object.entries(found).filter(([name]) => env[name] === undefined));
  const used = [
    `Kafka ${added['KAFKA_BROKERS'] ?? '(not in the file)'}`,
    `schema registry ${added['SCHEMA_REGISTRY_URL'] ?? '(not in the file)'}`,
    `database ${maskPassword(added['DATABASE_URL'])}`,
  ];
  const secrets = existsSync(secretsFile) ? `; development secrets from ${secretsFile}` : '';
  return {
    added,
    notice:
      `optstream: KAFKA_BROKERS, SCHEMA_REGISTRY_URL and DATABASE_URL are not set, so using the local stack ` +
      `(${endpointsFile}): ${used.join(', ')}${secrets}. Set them to use another deployment.`,
  };
}

/** KEY=value lines, as `stack:up` and `npm start` write them (multi-line values as `base64:`). */
function readEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const entries: [string, string][] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at <= 0 || line.startsWith('#')) continue;
    const value = line.slice(at + 1);
    entries.push([
      line.slice(0, at),
      value.startsWith('base64:') ? Buffer.from(value.slice(7), 'base64').toString() : value,
    ]);
  }
  return Object.fromEntries(entries);
}

function maskPassword(url: string | undefined): string {
  if (url === undefined) return '(not in the file)';
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}
