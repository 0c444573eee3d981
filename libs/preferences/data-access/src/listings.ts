import {
  slotWinner,
  topicStatusOf,
  type ChannelConsent,
  type KnownChannel,
  type KnownStatus,
} from '@optstream/preferences-domain';
import type { DataSource } from 'typeorm';
import { epochMs } from './state-rows';

export type AudienceFilter = Readonly<Partial<Record<KnownChannel, KnownStatus>>>;

export interface AudienceRow {
  readonly externalId: string;
  readonly email: KnownStatus | null;
  readonly sms: KnownStatus | null;
  readonly push: KnownStatus | null;
}

export interface SuppressionRow {
  readonly externalId: string;
  /** When the winning opt-out happened, and why. */
  readonly since: number;
  readonly sourceOfChange: string;
  /** Keyed hashes of the channel's addresses (email for email, phone for sms; none for push). */
  readonly keyedHashes: readonly string[];
}

/** A keyset page: rows strictly after `after`, up to and including `last`. */
export interface PageBounds {
  readonly after: string | null;
  /** The page's last externalId, or null when the page is empty. */
  readonly last: string | null;
  /** Whether rows exist after `last`; then `last` is the next cursor. */
  readonly more: boolean;
}

export interface Listing<R> {
  /** The keyset column, qualified. */
  readonly key: string;
  /** SQL for `select` with the page clauses (on `key`) appended; $1 = version. */
  readonly sql: (select: string, pageClauses: string) => string;
  readonly select: string;
  readonly params: readonly unknown[];
  readonly map: (row: Record<string, unknown>) => R;
  /**
   * Rows the SQL cannot decide (a topic's status follows the precedence rules of the domain): only
   * those kept are listed, so a page may hold fewer than `limit` rows; the cursor stays exact.
   */
  readonly keep?: (row: Record<string, unknown>) => boolean;
}

const CHUNK = 1_000;

/**
 * Streams a listing in external_id order, in bounded memory: the page's boundary is found first (an
 * index-only scan of external_ids, so the cursor can go in the response headers before the body),
 * then the rows are fetched CHUNK at a time with keyset queries and yielded as they arrive.
 */
export class Listings {
  constructor(private readonly db: DataSource) {}

  /**
   * Contacts whose given channels have the given statuses; with `topic`, the statuses are the topic's on
   * each channel (`topicStatusOf`: its own effective choice, else the channel's).
   */
  audience(version: number, filter: AudienceFilter, topic?: string): Listing<AudienceRow> {
    const params: unknown[] = [version];
    const conditions =
      topic === undefined
        ? (Object.entries(filter) as [KnownChannel, KnownStatus][]).map(([channel, status]) => {
            params.push(status);
            return `AND ${alias(channel)}.status = $${params.length}`;
          })
        : [];
    const statusOf = (r: Record<string, unknown>, channel: KnownChannel): KnownStatus | null =>
      topic === undefined
        ? knownOrNull(r[channel])
        : topicOrChannel(r[`${channel}_consent`], r[channel], topic);
    return {
      key: 'c.external_id',
      select: `c.external_id, e.status AS email, s.status AS sms, p.status AS push${
        topic === undefined
          ? ''
          : ', e.consent AS email_consent, s.consent AS sms_consent, p.consent AS push_consent'
      }`,
      params,
      sql: (select, page) => `SELECT ${select}
          FROM preferences.contacts c
          LEFT JOIN preferences.channel_state e ON e.projection_version = $1 AND e.external_id = c.external_id AND e.channel = 'email'
          LEFT JOIN preferences.channel_state s ON s.projection_version = $1 AND s.external_id = c.external_id AND s.channel = 'sms'
          LEFT JOIN preferences.channel_state p ON p.projection_version = $1 AND p.external_id = c.external_id AND p.channel = 'push'
         WHERE c.projection_version = $1 AND c.merged_into IS NULL AND c.erased_at IS NULL
           ${conditions.join(' ')} ${page}
         ORDER BY c.external_id`,
      map: (r) => ({
        externalId: String(r['external_id']),
        email: statusOf(r, 'email'),
        sms: statusOf(r, 'sms'),
        push: statusOf(r, 'push'),
      }),
      ...(topic === undefined
        ? {}
        : {
            keep: (r: Record<string, unknown>) =>
              (Object.entries(filter) as [KnownChannel, KnownStatus][]).every(
                ([channel, status]) => statusOf(r, channel) === status,
              ),
          }),
    };
  }

  /**
   * Who must not be contacted on a channel. Erased contacts stay (suppression remembers, rule 9 of docs/architecture.md);
   * merged-away contacts do not (their opt-outs were re-emitted under the survivor).
   */
  suppressions(version: number, channel: KnownChannel, topic?: string): Listing<SuppressionRow> {
    // A literal from a closed set, not a parameter: the page-bounds query omits this column, and an
    // unused parameter has no type Postgres can infer.
    const kind = ({ email: 'email', sms: 'phone', push: null } as const)[channel];
    const hashes =
      kind === null
        ? `'{}'::text[]`
        : `COALESCE((SELECT array_agg(i.keyed_hash ORDER BY i.keyed_hash) FROM preferences.identifiers i
                   WHERE i.projection_version = $1 AND i.external_id = s.external_id AND i.kind = '${kind}'), '{}')`;
    // With a topic: the channel's opt-outs and every row with a choice on the topic; `keep` decides.
    const candidates =
      topic === undefined
        ? `s.status = 'unsubscribed'`
        : `(s.status = 'unsubscribed' OR s.consent -> 'topics' ? $3::text)`;
    return {
      key: 's.external_id',
      select: `s.external_id, ${epochMs('s.occurred_at')} AS since, s.source_of_change, ${hashes} AS hashes, s.status, s.consent`,
      params: topic === undefined ? [version, channel] : [version, channel, topic],
      sql: (select, page) => `SELECT ${select}
          FROM preferences.channel_state s
          JOIN preferences.contacts c ON c.projection_version = $1 AND c.external_id = s.external_id
         WHERE s.projection_version = $1 AND s.channel = $2 AND ${candidates}
           AND c.merged_into IS NULL ${page}
         ORDER BY s.external_id`,
      map: (r) => {
        const own =
          topic === undefined || r['status'] === 'unsubscribed'
            ? undefined
            : topicWinner(r['consent'], topic);
        return {
          externalId: String(r['external_id']),
          since: own?.occurredAt ?? Number(r['since']),
          sourceOfChange: own?.sourceOfChange ?? String(r['source_of_change']),
          keyedHashes: (r['hashes'] as string[] | null) ?? [],
        };
      },
      ...(topic === undefined
        ? {}
        : {
            keep: (r: Record<string, unknown>) =>
              topicOrChannel(r['consent'], r['status'], topic) === 'unsubscribed',
          }),
    };
  }

  async bounds<R>(listing: Listing<R>, after: string | null, limit: number): Promise<PageBounds> {
    const params = [...listing.params, after ?? '', limit - 1];
    const n = listing.params.length;
    const rows: { external_id: string }[] = await this.db.query(
      `${listing.sql(`${listing.key} AS external_id`, `AND ${listing.key} > $${n + 1}`)} OFFSET $${n + 2} LIMIT 2`,
      params,
    );
    if (rows.length > 0) return { after, last: rows[0]?.external_id ?? null, more: rows.length > 1 };
    // Fewer than `limit` rows: the page ends at the listing's last row.
    const tail: { external_id: string }[] = await this.db.query(
      `SELECT external_id FROM (${listing.sql(`${listing.key} AS external_id`, `AND ${listing.key} > $${n + 1}`)}) t
        ORDER BY external_id DESC LIMIT 1`,
      [...listing.params, after ?? ''],
    );
    return { after, last: tail[0]?.external_id ?? null, more: false };
  }

  async *rows<R>(listing: Listing<R>, bounds: PageBounds): AsyncGenerator<R[]> {
    if (bounds.last === null) return;
    const n = listing.params.length;
    let after = bounds.after ?? '';
    for (;;) {
      const chunk: Record<string, unknown>[] = await this.db.query(
        `${listing.sql(listing.select, `AND ${listing.key} > $${n + 1} AND ${listing.key} <= $${n + 2}`)} LIMIT ${CHUNK}`,
        [...listing.params, after, bounds.last],
      );
      if (chunk.length === 0) return;
      yield (listing.keep === undefined ? chunk : chunk.filter(listing.keep)).map(listing.map);
      const last = chunk[chunk.length - 1];
      if (chunk.length < CHUNK || !last) return;
      after = String(last['external_id']);
    }
  }
}

/** A channel with topic choices only has status 'unknown': no channel-wide choice, like no row at all. */
const knownOrNull = (status: unknown): KnownStatus | null =>
  status === null || status === undefined || status === 'unknown' ? null : (status as KnownStatus);

const alias = (channel: KnownChannel): string => ({ email: 'e', sms: 's', push: 'p' })[channel];

/** A topic's status on a channel row; a row written before the consent model has no topics. */
const topicOrChannel = (consent: unknown, status: unknown, topic: string): KnownStatus | null =>
  consent === null || consent === undefined
    ? knownOrNull(status)
    : (topicStatusOf(consent as ChannelConsent, topic) ?? null);

/** The winning choice of the topic itself (for `since` and `sourceOfChange`), if any. */
const topicWinner = (consent: unknown, topic: string) => {
  if (consent === null || consent === undefined) return undefined;
  const slot = (consent as ChannelConsent).topics[topic];
  return slot === undefined ? undefined : slotWinner(slot);
};
