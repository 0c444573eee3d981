import { CONNECTORS_MIGRATIONS } from './migrations';

/** What `openDatabase` (@optstream/postgres) needs for the connectors' tables; the app opens it. */
export const CONNECTORS_DATABASE = {
  migrationsTableName: 'connectors_migrations',
  migrations: CONNECTORS_MIGRATIONS,
} as const;
