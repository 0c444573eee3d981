import type { IdentifierKind, MarketingPreferenceUpdated, SourceSystem } from '@optstream/contracts';
import type { ContactState, KnownChannel, KnownStatus } from '@optstream/preferences-domain';
import type { DataSource } from 'typeorm';
import { activeVersion } from './projection-versions';
import type { HistoryDetail } from './history-detail';
import { epochMs, stateOfRows, type ChannelStateRow } from './state-rows';

export interface ContactView {
  readonly state: ContactState;
  readonly provisional: boolean;
  readonly updatedAt: number;
  readonly mergedInto: string | null;
  readonly erasedAt: number | null;
  readonly identifiers: readonly { readonly kind: IdentifierKind; readonly keyedHash: string }[];
}

export interface HistoryEntry {
  readonly event: MarketingPreferenceUpdated;
  readonly effect: string | null;
}

/** The few pg Pool methods the read model uses (TypeORM's postgres driver exposes its pool as `master`). */
interface PgPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * The active version, inline: every statement reads the pointer row itself (an InitPlan on its primary
 * key; the partitions of other versions are pruned at run time), so a swap is seen by the very next
 * call, with no extra round trip and nothing to invalidate.
 */
const ACTIVE = `(SELECT active_version FROM preferences.projections WHERE projection = $1)`;

/**
 * A contact with its channels and identifiers in ONE round trip (JSON aggregation), the contact chosen
 * by `where` (on `c`). Identifiers are ordered by (kind, keyed_hash); channels are keyed by name.
 */
const contactViewSql = (where: string): string => `
  SELECT c.external_id, c.version, c.provisional, ${epochMs('c.updated_at')} AS updated_at, c.merged_into,
         ${epochMs('c.erased_at')} AS erased_at,
         (SELECT coalesce(json_agg(json_build_object('kind', i.kind, 'keyedHash', i.keyed_hash)
                                   ORDER BY i.kind, i.keyed_hash), '[]'::json)
            FROM preferences.identifiers i
           WHERE i.projection_version = c.projection_version AND i.external_id = c.external_id) AS identifiers,
         (SELECT coalesce(json_agg(json_build_object(
                   'external_id', s.external_id, 'channel', s.channel, 'status', s.status,
                   'occurred_at', ${epochMs('s.occurred_at')}, 'event_id', s.event_id,
                   'source_of_change', s.source_of_change, 'source_system', s.source_system,
                   'provider_event_ref', s.provider_event_ref, 'consent', s.consent)), '[]'::json)
            FROM preferences.channel_state s
           WHERE s.projection_version = c.projection_version AND s.external_id = c.external_id) AS channels
    FROM preferences.contacts c
   WHERE c.projection_version = ${ACTIVE} AND ${where}`;

const CONTACT_BY_ID = contactViewSql(`c.external_id = $2`);
const CONTACT_BY_IDENTIFIER = contactViewSql(`c.external_id = (
    SELECT i.external_id FROM preferences.identifiers i
     WHERE i.projection_version = ${ACTIVE} AND i.kind = $2 AND i.keyed_hash = $3)`);

/** The statements behind `contact` and `contactByIdentifier` ($1 projection, then externalId | kind, keyedHash). */
export const CONTACT_VIEW_SQL = { byId: CONTACT_BY_ID, byIdentifier: CONTACT_BY_IDENTIFIER } as const;

interface ContactViewRow {
  readonly external_id: string;
  readonly version: string;
  readonly provisional: boolean;
  readonly updated_at: number;
  readonly merged_into: string | null;
  readonly erased_at: number | null;
  readonly identifiers: { kind: IdentifierKind; keyedHash: string }[];
  readonly channels: ChannelStateRow[];
}

/**
 * Read side of the projection. Every call reads the ACTIVE version in the same statement (see
 * `ACTIVE`), so a swap is seen at once. The hot calls (contact, lookup) are one named prepared
 * statement each, sent straight to the pool (no ORM layer in the request path).
 */
export class PreferencesReadModel {
  private readonly pool: PgPool | null;

  constructor(
    private readonly db: DataSource,
    readonly projection: string,
  ) {
    const master = (db.driver as unknown as { master?: unknown }).master;
    this.pool = isPgPool(master) ? master : null;
  }

  async version(): Promise<number | null> {
    return activeVersion(this.db, this.projection);
  }

  async contact(externalId: string): Promise<ContactView | null> {
    return toContactView(
      await this.one('preferences_contact_v1', CONTACT_BY_ID, [this.projection, externalId]),
    );
  }

  /** The contact holding an identifier (by keyed hash), with its view, in one round trip. */
  async contactByIdentifier(kind: IdentifierKind, keyedHash: string): Promise<ContactView | null> {
    return toContactView(
      await this.one('preferences_lookup_v1', CONTACT_BY_IDENTIFIER, [this.projection, kind, keyedHash]),
    );
  }

  async findByIdentifier(kind: IdentifierKind, keyedHash: string): Promise<string | null> {
    const rows: { external_id: string }[] = await this.db.query(
      `SELECT external_id FROM preferences.identifiers
        WHERE projection_version = ${ACTIVE} AND kind = $2 AND keyed_hash = $3`,
      [this.projection, kind, keyedHash],
    );
    return rows[0]?.external_id ?? null;
  }

  /** The contact's full change history, oldest first by the time the person acted. */
  async history(externalId: string): Promise<HistoryEntry[]> {
    const rows: HistoryRow[] = await this.db.query(
      `SELECT event_id, external_id, channel, status, ${epochMs('occurred_at')} AS occurred_at,
              ${epochMs('recorded_at')} AS recorded_at, source_of_change, source_system,
              provider_event_ref, causation_id, effect, detail
         FROM preferences.history WHERE projection_version = ${ACTIVE} AND external_id = $2
        ORDER BY occurred_at, event_id`,
      [this.projection, externalId],
    );
    return rows.map((r) => ({ event: toEvent(r), effect: r.effect }));
  }

  private async one(name: string, text: string, values: unknown[]): Promise<ContactViewRow | null> {
    const rows = this.pool
      ? ((await this.pool.query({ name, text, values })).rows as ContactViewRow[])
      : ((await this.db.query(text, values)) as ContactViewRow[]);
    return rows[0] ?? null;
  }
}

const isPgPool = (value: unknown): value is PgPool =>
  typeof value === 'object' && value !== null && typeof (value as PgPool).query === 'function';

function toContactView(row: ContactViewRow | null): ContactView | null {
  if (!row) return null;
  return {
    state: stateOfRows(row.external_id, Number(row.version), row.channels),
    provisional: row.provisional,
    updatedAt: row.updated_at,
    mergedInto: row.merged_into,
    erasedAt: row.erased_at,
    identifiers: row.identifiers.map((i) => ({ kind: i.kind, keyedHash: i.keyedHash })),
  };
}

interface HistoryRow {
  readonly event_id: string;
  readonly external_id: string;
  readonly channel: KnownChannel;
  readonly status: KnownStatus;
  readonly occurred_at: number;
  readonly recorded_at: number;
  readonly source_of_change: string;
  readonly source_system: SourceSystem;
  readonly provider_event_ref: string;
  readonly causation_id: string;
  readonly effect: string | null;
  readonly detail: HistoryDetail | null;
}

const toEvent = (r: HistoryRow): MarketingPreferenceUpdated => ({
  ...(r.detail ?? {}),
  eventId: r.event_id,
  externalId: r.external_id,
  channel: r.channel,
  newStatus: r.status,
  sourceOfChange: r.source_of_change,
  source: { system: r.source_system, providerEventRef: r.provider_event_ref },
  occurredAt: r.occurred_at,
  recordedAt: r.recorded_at,
  causationId: r.causation_id,
});
