import type { SourceSystem } from '@optstream/contracts';
import type { ChannelState, ContactState, KnownChannel, KnownStatus } from '@optstream/preferences-domain';
import type { EntityManager } from 'typeorm';

/** Epoch milliseconds out of a timestamptz(3), exactly (extract returns numeric). */
export const epochMs = (column: string): string => `(extract(epoch from ${column}) * 1000)::float8`;
/** A float8 of epoch milliseconds into a timestamptz(3). */
export const fromEpochMs = (param: string): string => `to_timestamp(${param} / 1000.0)`;

export interface ChannelStateRow {
  readonly external_id: string;
  readonly channel: KnownChannel;
  readonly status: KnownStatus;
  readonly occurred_at: number;
  readonly event_id: string;
  readonly source_of_change: string;
  readonly source_system: SourceSystem;
  readonly provider_event_ref: string;
}

export const CHANNEL_STATE_COLUMNS = `external_id, channel, status, ${epochMs('occurred_at')} AS occurred_at,
  event_id, source_of_change, source_system, provider_event_ref`;

export const toChannelState = (row: ChannelStateRow): ChannelState => ({
  status: row.status,
  occurredAt: row.occurred_at,
  eventId: row.event_id,
  sourceOfChange: row.source_of_change,
  sourceSystem: row.source_system,
  providerEventRef: row.provider_event_ref,
});

/**
 * The domain states of the given contacts, with one query for the channels and one for the versions
 * (the batch's contacts at once, never a query per contact).
 */
export async function loadStates(
  db: EntityManager,
  version: number,
  externalIds: readonly string[],
): Promise<Map<string, ContactState>> {
  const states = new Map<string, ContactState>();
  if (externalIds.length === 0) return states;
  const contacts: { external_id: string; version: string }[] = await db.query(
    `SELECT external_id, version FROM preferences.contacts
      WHERE projection_version = $1 AND external_id = ANY($2::text[])`,
    [version, externalIds],
  );
  const channels: ChannelStateRow[] = await db.query(
    `SELECT ${CHANNEL_STATE_COLUMNS} FROM preferences.channel_state
      WHERE projection_version = $1 AND external_id = ANY($2::text[])`,
    [version, externalIds],
  );
  const byContact = new Map<string, Partial<Record<KnownChannel, ChannelState>>>();
  for (const row of channels) {
    const entry = byContact.get(row.external_id) ?? {};
    entry[row.channel] = toChannelState(row);
    byContact.set(row.external_id, entry);
  }
  for (const contact of contacts) {
    const channelsOf = byContact.get(contact.external_id) ?? {};
    // A contact known only from identity events has no preference state yet: the domain's `null`.
    if (Number(contact.version) === 0 && Object.keys(channelsOf).length === 0) continue;
    states.set(contact.external_id, {
      externalId: contact.external_id,
      channels: channelsOf,
      version: Number(contact.version),
    });
  }
  return states;
}
