import type { DataSource, EntityManager } from 'typeorm';

export interface PartitionOffset {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to apply (Kafka's "committed offset" convention). */
  readonly nextOffset: bigint;
}

export async function loadOffsets(
  db: DataSource | EntityManager,
  version: number,
): Promise<PartitionOffset[]> {
  const rows: { topic: string; partition: number; next_offset: string }[] = await db.query(
    `SELECT topic, partition, next_offset FROM preferences.consumer_offsets WHERE projection_version = $1`,
    [version],
  );
  return rows.map((r) => ({ topic: r.topic, partition: r.partition, nextOffset: BigInt(r.next_offset) }));
}

export async function loadOffset(
  db: DataSource | EntityManager,
  version: number,
  topic: string,
  partition: number,
): Promise<bigint | null> {
  const rows: { next_offset: string }[] = await db.query(
    `SELECT next_offset FROM preferences.consumer_offsets
      WHERE projection_version = $1 AND topic = $2 AND partition = $3`,
    [version, topic, partition],
  );
  return rows[0] ? BigInt(rows[0].next_offset) : null;
}

/**
 * Locks the partition's checkpoint for the rest of the transaction and returns it (0 when new). A
 * second writer of the same partition (a zombie after a rebalance) waits here, then sees the advanced
 * checkpoint and skips what was already applied.
 */
export async function lockOffset(
  tx: EntityManager,
  version: number,
  topic: string,
  partition: number,
): Promise<bigint> {
  await tx.query(
    `INSERT INTO preferences.consumer_offsets (projection_version, topic, partition, next_offset)
     VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING`,
    [version, topic, partition],
  );
  const rows: { next_offset: string }[] = await tx.query(
    `SELECT next_offset FROM preferences.consumer_offsets
      WHERE projection_version = $1 AND topic = $2 AND partition = $3 FOR UPDATE`,
    [version, topic, partition],
  );
  return BigInt(rows[0]?.next_offset ?? '0');
}

export async function storeOffset(
  tx: EntityManager,
  version: number,
  topic: string,
  partition: number,
  nextOffset: bigint,
): Promise<void> {
  await tx.query(
    `UPDATE preferences.consumer_offsets SET next_offset = $4, updated_at = now()
      WHERE projection_version = $1 AND topic = $2 AND partition = $3`,
    [version, topic, partition, nextOffset.toString()],
  );
}
