import type { EntityManager } from 'typeorm';

/** A DataSource or a transaction's EntityManager: both run raw SQL the same way. */
export type Queryable = Pick<EntityManager, 'query'>;

/** Runs a SELECT and types its rows (TypeORM's raw query returns untyped rows). */
export const selectRows = async <T>(q: Queryable, sql: string, params: unknown[] = []): Promise<T[]> => {
  const rows: T[] = await q.query(sql, params);
  return rows;
};
