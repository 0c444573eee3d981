import type { EntityManager } from 'typeorm';

/** A DataSource or a transaction's EntityManager: both run raw SQL the same way. */
export type Queryable = Pick<EntityManager, 'query'>;
