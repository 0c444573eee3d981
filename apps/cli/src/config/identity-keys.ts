import type { Writable } from 'node:stream';
import { DataKeyStore, openIdentityDatabase } from '@optstream/identity-data-access';
import { createLogger } from '@optstream/observability';
import { LocalMasterKeyProvider } from '@optstream/pii-crypto';
import { loadAuditConfig } from './command-configs';

/**
 * The identity store's data keys, for commands that open sealed values (dead letters, proof of
 * consent): only when DATABASE_URL and OPTSTREAM_MASTER_KEYS (or their _FILE forms) are given;
 * otherwise `work` gets null and the values stay sealed.
 */
export async function withIdentityKeys<T>(
  env: NodeJS.ProcessEnv,
  stderr: Writable,
  name: string,
  work: (keys: DataKeyStore | null) => Promise<T>,
): Promise<T> {
  const given = (key: string): boolean => Boolean(env[key] || env[`${key}_FILE`]);
  if (!given('DATABASE_URL') || !given('OPTSTREAM_MASTER_KEYS')) return work(null);
  const config = loadAuditConfig(env);
  const log = createLogger(name, 'warn', stderr);
  const db = await openIdentityDatabase(config.DATABASE_URL, name, 2, log);
  try {
    const masterKeys = new LocalMasterKeyProvider({
      activeKeyId: Object.keys(config.OPTSTREAM_MASTER_KEYS)[0] ?? '',
      keys: config.OPTSTREAM_MASTER_KEYS,
    });
    return await work(new DataKeyStore(db, masterKeys));
  } finally {
    await db.destroy();
  }
}
