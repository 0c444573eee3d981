import { createHash } from 'node:crypto';
import { ContactAddressBook } from '@optstream/contact-addresses';
import { CONNECTORS_DATABASE, DeliveryLog } from '@optstream/connectors-data-access';
import { createAdapters } from '@optstream/connectors-providers';
import { providersFromEnv } from '@optstream/connector-runtime';
import { createLogger } from '@optstream/observability';
import { LocalMasterKeyProvider } from '@optstream/pii-crypto';
import { openDatabase } from '@optstream/postgres';
import type { AuditConfig } from '../config/command-configs';
import type { AuditCommandOptions } from './audit-options';
import { configuredProviders } from './audit-options';
import { readModelContacts, readModelStates } from './read-model-contacts';
import { CONNECTOR_OF, runAudit, type AuditReport } from './run-audit';

/**
 * Writes of a repair carry a key of their own: the adapters derive `Idempotency-Key` from
 * (provider, contact, version), and the connector already sent this version — a provider that honours
 * the key would answer from its cache and apply nothing, leaving the drift in place. The repair key is
 * the original one bound to this run, so a retry within the run still collapses.
 */
export function repairFetch(runId: string, inner: typeof fetch = fetch): typeof fetch {
  return (input, init) => {
    const headers = { ...((init?.headers as Record<string, string> | undefined) ?? {}) };
    const key = headers['idempotency-key'];
    if (key !== undefined)
      headers['idempotency-key'] = createHash('sha256')
        .update(`${key}:audit-repair:${runId}`)
        .digest('base64url');
    return inner(input, { ...init, headers });
  };
}

export async function auditFromEnv(
  options: AuditCommandOptions,
  config: AuditConfig,
  env: NodeJS.ProcessEnv,
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<AuditReport> {
  const providers = options.providers ?? configuredProviders(env);
  if (providers.length === 0) throw new Error('no provider configured: set their credentials or --providers');
  const adapters = createAdapters(providersFromEnv('optstream audit', providers, env), {
    fetch: repairFetch(new Date().toISOString()),
  });
  const db = await openDatabase({
    url: config.DATABASE_URL,
    applicationName: 'optstream-audit',
    log: createLogger('optstream-audit', 'warn', io.stderr as never),
    poolSize: 2,
    // Runs no migrations: the read model, identity and delivery-log tables belong to their services.
    migrationsTableName: CONNECTORS_DATABASE.migrationsTableName,
    migrations: [],
  });
  try {
    const masterKeys = new LocalMasterKeyProvider({
      activeKeyId: Object.keys(config.OPTSTREAM_MASTER_KEYS)[0] ?? '',
      keys: config.OPTSTREAM_MASTER_KEYS,
    });
    return await runAudit(options, {
      contacts: readModelContacts(db, config.PROJECTION_NAME, options.selection),
      adapters,
      addresses: new ContactAddressBook(db, masterKeys),
      repair: {
        stateOf: (ids) => readModelStates(db, config.PROJECTION_NAME, ids),
        markDelivered: (provider, marks) =>
          new DeliveryLog(db, CONNECTOR_OF[provider]).markDelivered(provider, marks),
      },
      stdout: io.stdout as never,
      stderr: io.stderr as never,
    });
  } finally {
    await db.destroy();
  }
}
