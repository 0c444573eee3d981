import { randomUUID } from 'node:crypto';
import type { Channel, ConsentStatus } from '@optstream/connectors-domain';
import {
  Listings,
  PreferencesReadModel,
  type AudienceRow,
  type PageBounds,
} from '@optstream/preferences-data-access';
import type { DataSource } from 'typeorm';
import type { AuditContact } from './compare';

export type Selection =
  | { readonly mode: 'all' }
  | { readonly mode: 'sample'; readonly size: number; readonly start?: string };

const PAGE = 500;

/**
 * Live contacts (not merged away, not erased) of the ACTIVE projection, in batches, through the read
 * model's own keyset listing (index scans, bounded memory).
 * - all: every contact, in externalId order.
 * - sample N: N consecutive contacts from a random point of the externalId order, wrapping around.
 *   externalIds are random UUIDs, so a run of them is a uniform sample of contacts with respect to
 *   their state and history; it costs N rows instead of a scan of everyone.
 */
export async function* readModelContacts(
  db: DataSource,
  projection: string,
  selection: Selection,
): AsyncGenerator<AuditContact[]> {
  const version = await new PreferencesReadModel(db, projection).version();
  if (version === null) throw new Error(`projection "${projection}" has no active version: nothing to audit`);
  const listings = new Listings(db);
  const listing = listings.audience(version, {});
  const limit = selection.mode === 'all' ? Number.MAX_SAFE_INTEGER : selection.size;
  const start = selection.mode === 'sample' ? (selection.start ?? randomUUID()) : '';
  let taken = 0;
  let wrapped = false;
  let after: string | null = start;
  for (;;) {
    const want = Math.min(PAGE, limit - taken);
    if (want <= 0) return;
    const bounds: PageBounds = await listings.bounds(listing, after, want);
    let got = 0;
    for await (const rows of listings.rows(listing, bounds)) {
      const batch = rows.filter((r) => !wrapped || r.externalId <= start).map(toContact);
      got += rows.length;
      taken += batch.length;
      if (batch.length > 0) yield batch;
      if (batch.length < rows.length) return; // wrapped past the start
    }
    if (!bounds.more || got === 0) {
      if (wrapped || start === '') return;
      wrapped = true;
      after = null;
    } else after = bounds.last;
  }
}

const toContact = (row: AudienceRow): AuditContact => {
  const channels: Partial<Record<Channel, ConsentStatus>> = {};
  // pending (awaiting confirmation) has no platform counterpart to compare with yet: left out.
  if (row.email && row.email !== 'pending') channels.email = row.email;
  if (row.sms && row.sms !== 'pending') channels.sms = row.sms;
  if (row.push && row.push !== 'pending') channels.push = row.push;
  return { externalId: row.externalId, channels };
};

/** Version and last change of each contact, for `--repair` (the state the connectors would send). */
export async function readModelStates(
  db: DataSource,
  projection: string,
  externalIds: readonly string[],
): Promise<Map<string, { version: number; causationId: string }>> {
  const model = new PreferencesReadModel(db, projection);
  const out = new Map<string, { version: number; causationId: string }>();
  for (const id of externalIds) {
    const view = await model.contact(id);
    if (!view) continue;
    const latest = Object.values(view.state.channels).reduce<{ occurredAt: number; eventId: string } | null>(
      (best, ch) => (ch && (!best || ch.occurredAt > best.occurredAt) ? ch : best),
      null,
    );
    out.set(id, { version: view.state.version, causationId: latest?.eventId ?? id });
  }
  return out;
}
