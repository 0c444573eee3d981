import 'reflect-metadata';
import { databaseLog, type Logger } from '@optstream/observability';
import { DataSource } from 'typeorm';
import { IDENTITY_MIGRATIONS } from './migrations';
import { pgErrorCode } from './pg-errors';

// duplicate_table / unique_violation while TypeORM creates its migrations table: another process
// is migrating at the same moment. Our migration is idempotent, so opening again converges.
const CONCURRENT_MIGRATION = new Set(['42P07', '23505']);

/**
 * Opens the identity database and applies pending migrations (never `synchronize`). Mirrors
 * `@optstream/postgres`'s openDatabase, which a data-access lib may not import (module boundaries:
 * data-access → domain, util); the settings are the same.
 */
export async function openIdentityDatabase(
  url: string,
  applicationName: string,
  poolSize = 10,
  log?: Logger,
): Promise<DataSource> {
  const open = async (): Promise<DataSource> => {
    const db = new DataSource({
      type: 'postgres',
      url,
      applicationName,
      synchronize: false,
      migrationsRun: false,
      migrationsTableName: 'identity_migrations',
      migrations: IDENTITY_MIGRATIONS,
      extra: { max: poolSize },
      // The service logger, never TypeORM's console loggers (they print query parameters).
      ...(log ? { logger: databaseLog(log) } : { logging: false }),
    });
    await db.initialize();
    try {
      await db.runMigrations({ transaction: 'each' });
      return db;
    } catch (error) {
      await db.destroy();
      throw error;
    }
  };
  try {
    return await open();
  } catch (error) {
    if (!CONCURRENT_MIGRATION.has(pgErrorCode(error) ?? '')) throw error;
    return open();
  }
}
