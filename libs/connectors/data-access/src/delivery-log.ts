import type { Queryable } from './queryable';

export interface DeliveredMark {
  readonly externalId: string;
  readonly version: number;
  readonly fingerprint: string;
}

interface Row {
  external_id: string;
  version: string;
  fingerprint: string;
}

/**
 * The last state each provider holds per contact, so a redelivered or unchanged state is not sent
 * again (no-op skip) and an older state never overwrites a newer one at the provider.
 */
export class DeliveryLog {
  constructor(
    private readonly db: Queryable,
    private readonly connector: string,
  ) {}

  async lastDelivered(provider: string, externalIds: readonly string[]): Promise<Map<string, DeliveredMark>> {
    const rows: Row[] = await this.db.query(
      `SELECT external_id, version, fingerprint FROM connectors.deliveries
        WHERE connector = $1 AND provider = $2 AND external_id = ANY($3::text[])`,
      [this.connector, provider, externalIds],
    );
    return new Map(
      rows.map((r) => [
        r.external_id,
        { externalId: r.external_id, version: Number(r.version), fingerprint: r.fingerprint },
      ]),
    );
  }

  /**
   * Bulk upsert; a mark never moves back to an older version (two replicas during a rebalance). In the
   * same statement, the parked deliveries of these contacts that the marks make obsolete (same or older
   * version) are dropped: they must never be retried over what the provider now holds.
   */
  async markDelivered(provider: string, marks: readonly DeliveredMark[]): Promise<void> {
    if (marks.length === 0) return;
    await this.db.query(
      `WITH marked AS (
         INSERT INTO connectors.deliveries (connector, provider, external_id, version, fingerprint)
         SELECT $1, $2, m.external_id, m.version, m.fingerprint
           FROM unnest($3::text[], $4::bigint[], $5::text[]) AS m(external_id, version, fingerprint)
         ON CONFLICT (connector, provider, external_id) DO UPDATE
           SET version = excluded.version, fingerprint = excluded.fingerprint, delivered_at = now()
         WHERE connectors.deliveries.version <= excluded.version
       )
       DELETE FROM connectors.parked p
        USING unnest($3::text[], $4::bigint[]) AS d(external_id, version)
        WHERE p.connector = $1 AND p.provider = $2 AND p.external_id = d.external_id
          AND p.version <= d.version`,
      [
        this.connector,
        provider,
        marks.map((m) => m.externalId),
        marks.map((m) => m.version),
        marks.map((m) => m.fingerprint),
      ],
    );
  }
}
