import type { DataSource } from 'typeorm';

export interface OutboxEntry {
  readonly externalId: string;
  readonly causationId: string;
  readonly traceparent?: string;
}

/**
 * State messages committed but not yet acknowledged by Kafka, for one source partition. Read by the
 * partition's new owner before it applies anything, so per-contact publish order is kept (a contact's
 * events all live in one partition).
 */
export async function pendingOutbox(
  db: DataSource,
  version: number,
  topic: string,
  partition: number,
): Promise<OutboxEntry[]> {
  const rows: { external_id: string; causation_id: string; traceparent: string | null }[] = await db.query(
    `SELECT external_id, causation_id, traceparent FROM preferences.state_outbox
      WHERE projection_version = $1 AND topic = $2 AND partition = $3 ORDER BY external_id`,
    [version, topic, partition],
  );
  return rows.map((r) => ({
    externalId: r.external_id,
    causationId: r.causation_id,
    ...(r.traceparent === null ? {} : { traceparent: r.traceparent }),
  }));
}

/** Acknowledged: removes the entries, unless a newer change of the same contact replaced one meanwhile. */
export async function clearOutbox(
  db: DataSource,
  version: number,
  entries: readonly OutboxEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await db.query(
    `DELETE FROM preferences.state_outbox o
      USING unnest($2::text[], $3::text[]) AS u(external_id, causation_id)
      WHERE o.projection_version = $1 AND o.external_id = u.external_id AND o.causation_id = u.causation_id`,
    [version, entries.map((e) => e.externalId), entries.map((e) => e.causationId)],
  );
}
