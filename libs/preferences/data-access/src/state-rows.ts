import type { SourceSystem } from '@optstream/contracts';
import {
  slotWinner,
  type ChannelConsent,
  type ChannelState,
  type ContactState,
  type KnownChannel,
  type KnownStatus,
} from '@optstream/preferences-domain';
import type { EntityManager } from 'typeorm';

/** Epoch milliseconds out of a timestamptz(3), exactly (extract returns numeric). */
export const epochMs = (column: string): string => `(extract(epoch from ${column}) * 1000)::float8`;
/** A float8 of epoch milliseconds into a timestamptz(3). */
export const fromEpochMs = (param: string): string => `to_timestamp(${param} / 1000.0)`;

export interface ChannelStateRow {
  readonly external_id: string;
  readonly channel: KnownChannel;
  /** `unknown`: the channel has topic choices only (no channel-wide winner). */
  readonly status: KnownStatus | 'unknown';
  readonly occurred_at: number;
  readonly event_id: string;
  readonly source_of_change: string;
  readonly source_system: SourceSystem;
  readonly provider_event_ref: string;
  /** The channel's slots (`ChannelConsent`); null on rows written before the consent model. */
  readonly consent: ChannelConsent | null;
}

export const CHANNEL_STATE_COLUMNS = `external_id, channel, status, ${epochMs('occurred_at')} AS occurred_at,
  event_id, source_of_change, source_system, provider_event_ref, consent`;

/**
 * The channel's slots. A row written before the consent model holds one channel-wide winner, which was
 * decided among events that all read as explicit, millisecond-precise and channel-wide: it is the
 * slot's `explicit` entry, and every later event is ranked against it exactly as a rebuild would.
 */
export const toChannelConsent = (row: ChannelStateRow): ChannelConsent => {
  if (row.consent !== null) return row.consent;
  if (row.status === 'unknown') return { wide: {}, topics: {} };
  const explicit: ChannelState = {
    status: row.status,
    occurredAt: row.occurred_at,
    eventId: row.event_id,
    sourceOfChange: row.source_of_change,
    sourceSystem: row.source_system,
    providerEventRef: row.provider_event_ref,
    precision: 'millisecond',
    strength: 'explicit',
    pendingExpiresAt: null,
  };
  return { wide: { explicit }, topics: {} };
};

/** The channel-wide winner of a row, if the channel has one. */
export const toChannelState = (row: ChannelStateRow): ChannelState | undefined =>
  slotWinner(toChannelConsent(row).wide);

/** One channel of a contact as the channel_state table holds it: the channel-wide winner and the slots. */
export interface ChannelRow {
  readonly externalId: string;
  readonly channel: KnownChannel;
  readonly status: KnownStatus | 'unknown';
  readonly occurredAt: number;
  readonly eventId: string;
  readonly sourceOfChange: string;
  readonly sourceSystem: SourceSystem;
  readonly providerEventRef: string;
  readonly consent: ChannelConsent;
}

export const toChannelRow = (
  externalId: string,
  channel: KnownChannel,
  consent: ChannelConsent,
): ChannelRow => {
  const wide = slotWinner(consent.wide);
  return {
    externalId,
    channel,
    status: wide?.status ?? 'unknown',
    occurredAt: wide?.occurredAt ?? 0,
    eventId: wide?.eventId ?? '',
    sourceOfChange: wide?.sourceOfChange ?? '',
    sourceSystem: wide?.sourceSystem ?? 'unknown',
    providerEventRef: wide?.providerEventRef ?? '',
    consent,
  };
};

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
  const byContact = new Map<string, ChannelStateRow[]>();
  for (const row of channels)
    byContact.set(row.external_id, [...(byContact.get(row.external_id) ?? []), row]);
  for (const contact of contacts) {
    const rows = byContact.get(contact.external_id) ?? [];
    // A contact known only from identity events has no preference state yet: the domain's `null`.
    if (Number(contact.version) === 0 && rows.length === 0) continue;
    states.set(contact.external_id, stateOfRows(contact.external_id, Number(contact.version), rows));
  }
  return states;
}

/** A contact's domain state from its channel_state rows. */
export function stateOfRows(
  externalId: string,
  version: number,
  rows: readonly ChannelStateRow[],
): ContactState {
  const channelsOf: Partial<Record<KnownChannel, ChannelState>> = {};
  const consent: Partial<Record<KnownChannel, ChannelConsent>> = {};
  for (const row of rows) {
    consent[row.channel] = toChannelConsent(row);
    const wide = toChannelState(row);
    if (wide !== undefined) channelsOf[row.channel] = wide;
  }
  return { externalId, channels: channelsOf, consent, version };
}
