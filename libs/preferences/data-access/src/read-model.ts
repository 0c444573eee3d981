import type { IdentifierKind, MarketingPreferenceUpdated, SourceSystem } from '@optstream/contracts';
import type { ChannelState, ContactState, KnownChannel, KnownStatus } from '@optstream/preferences-domain';
import type { DataSource } from 'typeorm';
import { activeVersion } from './projection-versions';
import { CHANNEL_STATE_COLUMNS, epochMs, toChannelState, type ChannelStateRow } from './state-rows';

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

/** Read side of the projection. Every call reads the ACTIVE version, so a swap is seen at once. */
export class PreferencesReadModel {
  constructor(
    private readonly db: DataSource,
    readonly projection: string,
  ) {}

  async version(): Promise<number | null> {
    return activeVersion(this.db, this.projection);
  }

  async contact(externalId: string): Promise<ContactView | null> {
    const version = await this.version();
    if (version === null) return null;
    const contacts: {
      version: string;
      provisional: boolean;
      updated_at: number;
      merged_into: string | null;
      erased_at: number | null;
    }[] = await this.db.query(
      `SELECT version, provisional, ${epochMs('updated_at')} AS updated_at, merged_into,
              ${epochMs('erased_at')} AS erased_at
         FROM preferences.contacts WHERE projection_version = $1 AND external_id = $2`,
      [version, externalId],
    );
    const contact = contacts[0];
    if (!contact) return null;
    const channels: ChannelStateRow[] = await this.db.query(
      `SELECT ${CHANNEL_STATE_COLUMNS} FROM preferences.channel_state
        WHERE projection_version = $1 AND external_id = $2`,
      [version, externalId],
    );
    const identifiers: { kind: IdentifierKind; keyed_hash: string }[] = await this.db.query(
      `SELECT kind, keyed_hash FROM preferences.identifiers
        WHERE projection_version = $1 AND external_id = $2 ORDER BY kind, keyed_hash`,
      [version, externalId],
    );
    const byChannel: Partial<Record<KnownChannel, ChannelState>> = {};
    for (const row of channels) byChannel[row.channel] = toChannelState(row);
    return {
      state: { externalId, channels: byChannel, version: Number(contact.version) },
      provisional: contact.provisional,
      updatedAt: contact.updated_at,
      mergedInto: contact.merged_into,
      erasedAt: contact.erased_at,
      identifiers: identifiers.map((i) => ({ kind: i.kind, keyedHash: i.keyed_hash })),
    };
  }

  async findByIdentifier(kind: IdentifierKind, keyedHash: string): Promise<string | null> {
    const version = await this.version();
    if (version === null) return null;
    const rows: { external_id: string }[] = await this.db.query(
      `SELECT external_id FROM preferences.identifiers
        WHERE projection_version = $1 AND kind = $2 AND keyed_hash = $3`,
      [version, kind, keyedHash],
    );
    return rows[0]?.external_id ?? null;
  }

  /** The contact's full change history, oldest first by the time the person acted. */
  async history(externalId: string): Promise<HistoryEntry[]> {
    const version = await this.version();
    if (version === null) return [];
    const rows: HistoryRow[] = await this.db.query(
      `SELECT event_id, external_id, channel, status, ${epochMs('occurred_at')} AS occurred_at,
              ${epochMs('recorded_at')} AS recorded_at, source_of_change, source_system,
              provider_event_ref, causation_id, effect
         FROM preferences.history WHERE projection_version = $1 AND external_id = $2
        ORDER BY occurred_at, event_id`,
      [version, externalId],
    );
    return rows.map((r) => ({ event: toEvent(r), effect: r.effect }));
  }
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
}

const toEvent = (r: HistoryRow): MarketingPreferenceUpdated => ({
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
