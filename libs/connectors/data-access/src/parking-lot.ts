import type { ContactConsent } from '@optstream/connectors-domain';
import type { Queryable } from './queryable';

/** Where a parked state came from: kept so the final dead-letter record carries the exact input. */
export interface OriginalMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** The state message's `traceparent` header, so retries continue its trace. */
  readonly traceparent?: string;
}

export interface ParkRequest {
  readonly provider: string;
  /** Without addresses: those are looked up again at each attempt and never stored here. */
  readonly consent: ContactConsent;
  readonly original: OriginalMessage;
  readonly error: string;
  readonly at: Date;
  /** When to try again, decided by the caller from the attempt count and the provider's Retry-After. */
  readonly nextAttemptAt: (attempts: number) => Date;
}

export interface ParkedDelivery {
  readonly provider: string;
  readonly consent: ContactConsent;
  readonly original: OriginalMessage;
  readonly attempts: number;
  readonly firstFailedAt: Date;
  readonly lastFailedAt: Date;
  readonly lastError: string;
}

interface Row {
  provider: string;
  consent: ContactConsent;
  original_topic: string;
  original_partition: number;
  original_offset: string;
  original_key: Buffer | null;
  original_value: Buffer | null;
  original_traceparent: string | null;
  attempts: number;
  first_failed_at: Date;
  last_failed_at: Date;
  last_error: string;
}

const stripAddresses = ({ email: _e, phone: _p, ...consent }: ContactConsent): ContactConsent => consent;

/**
 * Contacts whose delivery to one provider kept failing, parked so the other contacts keep flowing.
 * One row per (connector, provider, contact): a newer state replaces the parked one (its attempts start
 * over), an older or equal one only counts an attempt — so a parked state is never resurrected over a
 * newer one.
 */
export class ParkingLot {
  constructor(
    private readonly db: Queryable,
    private readonly connector: string,
  ) {}

  /** Parks (or re-parks) a delivery; returns the attempts now recorded for that contact and provider. */
  async park(request: ParkRequest): Promise<number> {
    const existing = await this.attemptsOf(request.provider, request.consent);
    const attempts = existing + 1;
    const { original } = request;
    await this.db.query(
      `INSERT INTO connectors.parked (connector, provider, external_id, version, consent, original_topic,
          original_partition, original_offset, original_key, original_value, attempts, first_failed_at,
          last_failed_at, next_attempt_at, last_error, original_traceparent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15)
       ON CONFLICT (connector, provider, external_id) DO UPDATE SET
          version = excluded.version, consent = excluded.consent, original_topic = excluded.original_topic,
          original_partition = excluded.original_partition, original_offset = excluded.original_offset,
          original_key = excluded.original_key, original_value = excluded.original_value,
          original_traceparent = excluded.original_traceparent, attempts = excluded.attempts,
          first_failed_at = CASE WHEN connectors.parked.version = excluded.version
                                 THEN connectors.parked.first_failed_at ELSE excluded.first_failed_at END,
          last_failed_at = excluded.last_failed_at, next_attempt_at = excluded.next_attempt_at,
          last_error = excluded.last_error
       WHERE connectors.parked.version <= excluded.version`,
      [
        this.connector,
        request.provider,
        request.consent.externalId,
        request.consent.version,
        JSON.stringify(stripAddresses(request.consent)),
        original.topic,
        original.partition,
        original.offset,
        original.key,
        original.value,
        attempts,
        request.at,
        request.nextAttemptAt(attempts),
        request.error,
        original.traceparent ?? null,
      ],
    );
    return attempts;
  }

  /** Attempts already made for this exact version; 0 when nothing (or an older version) is parked. */
  private async attemptsOf(provider: string, consent: ContactConsent): Promise<number> {
    const rows: { version: string; attempts: number }[] = await this.db.query(
      `SELECT version, attempts FROM connectors.parked
        WHERE connector = $1 AND provider = $2 AND external_id = $3`,
      [this.connector, provider, consent.externalId],
    );
    const row = rows[0];
    return row !== undefined && Number(row.version) === consent.version ? row.attempts : 0;
  }

  /** Removes one parked delivery (it was dead-lettered), only if it is still that version. */
  async remove(provider: string, externalId: string, version: number): Promise<void> {
    await this.db.query(
      `DELETE FROM connectors.parked
        WHERE connector = $1 AND provider = $2 AND external_id = $3 AND version = $4`,
      [this.connector, provider, externalId, version],
    );
  }

  /** Parked deliveries whose next attempt is due, oldest first. */
  async due(now: Date, limit: number): Promise<ParkedDelivery[]> {
    const rows: Row[] = await this.db.query(
      `SELECT provider, consent, original_topic, original_partition, original_offset, original_key,
              original_value, original_traceparent, attempts, first_failed_at, last_failed_at, last_error
         FROM connectors.parked
        WHERE connector = $1 AND next_attempt_at <= $2
        ORDER BY next_attempt_at LIMIT $3`,
      [this.connector, now, limit],
    );
    return rows.map((r) => ({
      provider: r.provider,
      consent: r.consent,
      original: {
        topic: r.original_topic,
        partition: r.original_partition,
        offset: r.original_offset,
        key: r.original_key,
        value: r.original_value,
        ...(r.original_traceparent === null ? {} : { traceparent: r.original_traceparent }),
      },
      attempts: r.attempts,
      firstFailedAt: r.first_failed_at,
      lastFailedAt: r.last_failed_at,
      lastError: r.last_error,
    }));
  }

  /** Parked contacts per provider (for the `connector_parked_contacts` gauge). */
  async countByProvider(): Promise<Map<string, number>> {
    const rows: { provider: string; n: string }[] = await this.db.query(
      `SELECT provider, count(*) AS n FROM connectors.parked WHERE connector = $1 GROUP BY provider`,
      [this.connector],
    );
    return new Map(rows.map((r) => [r.provider, Number(r.n)]));
  }

  async count(): Promise<number> {
    const rows: { n: string }[] = await this.db.query(
      `SELECT count(*) AS n FROM connectors.parked WHERE connector = $1`,
      [this.connector],
    );
    return Number(rows[0]?.n ?? 0);
  }
}
