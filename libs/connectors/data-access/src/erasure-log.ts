import type { Queryable } from './queryable';

export interface ErasureRecord {
  readonly provider: string;
  readonly externalId: string;
  readonly outcome: 'erased' | 'not-supported' | 'retry' | 'rejected';
  readonly reason?: string;
}

/** Per provider, what happened to an erased person there; the contact's delivery bookkeeping goes. */
export class ErasureLog {
  constructor(
    private readonly db: Queryable,
    private readonly connector: string,
  ) {}

  async record(records: readonly ErasureRecord[]): Promise<void> {
    for (const r of records) {
      await this.db.query(
        `INSERT INTO connectors.erasures (connector, provider, external_id, outcome, reason)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (connector, provider, external_id) DO UPDATE
           SET outcome = excluded.outcome, reason = excluded.reason, recorded_at = now()`,
        [this.connector, r.provider, r.externalId, r.outcome, r.reason ?? null],
      );
    }
  }

  /** Forgets what was delivered to or parked for an erased contact. */
  async forget(externalIds: readonly string[]): Promise<void> {
    if (externalIds.length === 0) return;
    await this.db.query(
      `DELETE FROM connectors.deliveries WHERE connector = $1 AND external_id = ANY($2::text[])`,
      [this.connector, externalIds],
    );
    await this.db.query(
      `DELETE FROM connectors.parked WHERE connector = $1 AND external_id = ANY($2::text[])`,
      [this.connector, externalIds],
    );
  }

  async outcomes(externalId: string): Promise<ErasureRecord[]> {
    const rows: { provider: string; outcome: ErasureRecord['outcome']; reason: string | null }[] =
      await this.db.query(
        `SELECT provider, outcome, reason FROM connectors.erasures WHERE connector = $1 AND external_id = $2`,
        [this.connector, externalId],
      );
    return rows.map((r) => ({
      provider: r.provider,
      externalId,
      outcome: r.outcome,
      ...(r.reason ? { reason: r.reason } : {}),
    }));
  }
}
