import 'reflect-metadata';
import { databaseLog, type Logger } from '@optstream/observability';
import { DataSource, MixedList, EntitySchema } from 'typeorm';

export interface DatabaseOptions {
  readonly url: string;
  /** Shows in pg_stat_activity, so an operator sees which service holds a connection. */
  readonly applicationName: string;
  /** Each service keeps its own migrations table, so services migrate independently. */
  readonly migrationsTableName: string;
  // TypeORM's own types for these lists.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly migrations: MixedList<Function | string>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly entities?: MixedList<Function | string | EntitySchema>;
  readonly poolSize?: number;
  /**
   * The service logger: TypeORM's messages go through it, failed queries without their parameters
   * (`databaseLog`). Without one TypeORM logs nothing; failures still reach the caller as errors.
   */
  readonly log?: Logger;
}

/**
 * Opens a TypeORM DataSource and applies pending migrations, each in its own transaction. Schemas are
 * only ever changed by reviewed migrations: `synchronize` stays off.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    applicationName: options.applicationName,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: options.migrationsTableName,
    migrations: options.migrations,
    entities: options.entities ?? [],
    extra: { max: options.poolSize ?? 10 },
    // Never TypeORM's console loggers: they print failed queries with their parameters.
    ...(options.log ? { logger: databaseLog(options.log) } : { logging: false }),
  });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}
