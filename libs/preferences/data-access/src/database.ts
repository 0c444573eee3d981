import { PREFERENCES_MIGRATIONS } from './migrations';

/**
 * What `openDatabase` (@optstream/postgres) needs for this read model. The app opens the connection:
 * the module boundaries keep one data-access library from importing another.
 */
export const PREFERENCES_DATABASE = {
  migrationsTableName: 'preferences_migrations',
  migrations: PREFERENCES_MIGRATIONS,
} as const;
