import 'reflect-metadata';
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
    logging: ['error'],
  });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}
