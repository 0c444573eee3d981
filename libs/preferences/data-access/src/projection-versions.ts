import type { DataSource, EntityManager } from 'typeorm';

/** The partitioned tables one projection version owns (see the read-model migration). */
export const VERSIONED_TABLES = ['channel_state', 'contacts', 'identifiers', 'history'] as const;

/** Thrown inside a live batch when a rebuild swapped versions: the runner must re-seek, not retry blindly. */
export class ProjectionVersionChanged extends Error {
  constructor(
    readonly projection: string,
    readonly expected: number,
    readonly active: number | null,
  ) {
    super(`projection ${projection}: active version is ${active ?? 'none'}, this runner writes ${expected}`);
    this.name = 'ProjectionVersionChanged';
  }
}

/** A version's own partition of a versioned table, e.g. `preferences.history_v7`. */
export const versionTable = (table: (typeof VERSIONED_TABLES)[number], version: number): string =>
  `preferences.${table}_v${Number.isInteger(version) ? version : 'invalid'}`;
const partitionName = versionTable;

/**
 * Creates the empty partitions of a version. Partition DDL is data lifecycle (like a new month's
 * partition), not schema change: the parent tables, columns and indexes only change by migration.
 */
export async function createVersionPartitions(
  db: DataSource | EntityManager,
  version: number,
): Promise<void> {
  for (const table of VERSIONED_TABLES)
    await db.query(
      `CREATE TABLE IF NOT EXISTS ${partitionName(table, version)}
         PARTITION OF preferences.${table} FOR VALUES IN (${version})`,
    );
}

export async function dropVersion(db: DataSource, version: number): Promise<void> {
  await db.transaction(async (tx) => {
    for (const table of VERSIONED_TABLES)
      await tx.query(`DROP TABLE IF EXISTS ${partitionName(table, version)}`);
    await tx.query(`DELETE FROM preferences.consumer_offsets WHERE projection_version = $1`, [version]);
    await tx.query(`DELETE FROM preferences.state_outbox WHERE projection_version = $1`, [version]);
  });
}

export async function allocateVersion(db: DataSource): Promise<number> {
  const rows: { version: string }[] = await db.query(
    `SELECT nextval('preferences.projection_version_seq') AS version`,
  );
  const version = Number(rows[0]?.version);
  await createVersionPartitions(db, version);
  return version;
}

/**
 * A version for a rebuild: like `allocateVersion`, except that its history partition starts as a
 * standalone table with only its primary key (the proof of one row per eventId, which the bulk load
 * relies on) and a CHECK matching the partition bound. Loading a million rows into it does not maintain
 * the secondary index row by row; `attachHistory` then builds that index in one sort and attaches the
 * table without scanning it. Until then the version's history is only reachable by its own name
 * (`versionTable('history', v)`), which is how the rebuild's writer addresses it.
 */
export async function allocateRebuildVersion(db: DataSource): Promise<number> {
  const rows: { version: string }[] = await db.query(
    `SELECT nextval('preferences.projection_version_seq') AS version`,
  );
  const version = Number(rows[0]?.version);
  if (!Number.isInteger(version)) throw new Error(`bad projection version ${String(rows[0]?.version)}`);
  for (const table of VERSIONED_TABLES.filter((t) => t !== 'history'))
    await db.query(
      `CREATE TABLE ${partitionName(table, version)} PARTITION OF preferences.${table} FOR VALUES IN (${version})`,
    );
  const history = partitionName('history', version);
  await db.query(
    `CREATE TABLE ${history} (LIKE preferences.history INCLUDING DEFAULTS,
       CONSTRAINT history_v${version}_bound CHECK (projection_version = ${version}),
       PRIMARY KEY (projection_version, event_id))`,
  );
  return version;
}

/**
 * Attaches a rebuild's history table as its version's partition (no-op when it already is one). The
 * parent's other indexes are built on it here, in bulk; the CHECK spares the attach a full scan. Locks:
 * SHARE UPDATE EXCLUSIVE on the parent (live reads and writes of other versions go on), ACCESS EXCLUSIVE
 * on this version's table, which nothing else uses before the swap.
 */
export async function attachHistory(db: DataSource, version: number): Promise<void> {
  const history = partitionName('history', version);
  const attached: { n: string }[] = await db.query(
    `SELECT count(*) AS n FROM pg_inherits WHERE inhrelid = $1::regclass`,
    [history],
  );
  if (Number(attached[0]?.n) > 0) return;
  await db.query(`ALTER TABLE preferences.history ATTACH PARTITION ${history} FOR VALUES IN (${version})`);
  await db.query(`ALTER TABLE ${history} DROP CONSTRAINT history_v${version}_bound`);
}

export async function activeVersion(
  db: DataSource | EntityManager,
  projection: string,
): Promise<number | null> {
  const rows: { active_version: number }[] = await db.query(
    `SELECT active_version FROM preferences.projections WHERE projection = $1`,
    [projection],
  );
  return rows[0]?.active_version ?? null;
}

/**
 * The active version, creating version 1-of-this-projection on first start. Two starting instances
 * race on the INSERT; the loser's freshly allocated partitions stay empty and are dropped.
 */
export async function ensureActiveVersion(db: DataSource, projection: string): Promise<number> {
  const existing = await activeVersion(db, projection);
  if (existing !== null) return existing;
  const version = await allocateVersion(db);
  const rows: { active_version: number }[] = await db.query(
    `INSERT INTO preferences.projections (projection, active_version) VALUES ($1, $2)
     ON CONFLICT (projection) DO UPDATE SET projection = EXCLUDED.projection
     RETURNING active_version`,
    [projection, version],
  );
  const winner = rows[0]?.active_version ?? version;
  if (winner !== version) await dropVersion(db, version);
  return winner;
}

/**
 * Live batches take a SHARE lock on the pointer row as their first statement; a swap takes it FOR
 * UPDATE. So a swap waits for in-flight live batches, and a live batch that waited sees the new
 * version and aborts instead of writing into the retired one.
 */
export async function fenceActiveVersion(
  tx: EntityManager,
  projection: string,
  expected: number,
): Promise<void> {
  const rows: { active_version: number }[] = await tx.query(
    `SELECT active_version FROM preferences.projections WHERE projection = $1 FOR SHARE`,
    [projection],
  );
  const active = rows[0]?.active_version ?? null;
  if (active !== expected) throw new ProjectionVersionChanged(projection, expected, active);
}

export async function lockForSwap(tx: EntityManager, projection: string): Promise<number | null> {
  const rows: { active_version: number }[] = await tx.query(
    `SELECT active_version FROM preferences.projections WHERE projection = $1 FOR UPDATE`,
    [projection],
  );
  return rows[0]?.active_version ?? null;
}

export async function setActiveVersion(
  tx: EntityManager,
  projection: string,
  version: number,
): Promise<void> {
  await tx.query(
    `INSERT INTO preferences.projections (projection, active_version, swapped_at) VALUES ($1, $2, now())
     ON CONFLICT (projection) DO UPDATE SET active_version = EXCLUDED.active_version, swapped_at = now()`,
    [projection, version],
  );
}
