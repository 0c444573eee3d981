import type { IdentityEvent, MarketingPreferenceUpdated } from '@optstream/contracts';
import { applyIdentityEvent, touchContact } from './apply-identity';
import {
  decodeIdentityEvent,
  decodePreferenceEvent,
  encodeIdentityEvent,
  encodePreferenceEvent,
} from './event-bytes';
import { rememberPreference } from './emitted-preferences';
import type { LoadedView } from './load-view';
import { asConflict, IdentityConflictError } from './pg-errors';
import { selectRows, type Queryable } from './queryable';

/** Everything the resolver publishes for one inbound fact, final (identifiers sealed). */
export interface Resolution {
  readonly inboundEventId: string;
  readonly identityEvents: readonly IdentityEvent[];
  readonly preferenceEvents: readonly MarketingPreferenceUpdated[];
}

export interface StoredResolution extends Resolution {
  readonly published: boolean;
}

interface Transactional {
  transaction<T>(work: (q: Queryable) => Promise<T>): Promise<T>;
}

/**
 * Commits one fact's resolution atomically: the identity changes, the preferences it emitted and the
 * outbox row. Optimistic: the contacts the decision read are locked and must still be at the versions
 * read; a moved contact or a taken unique key throws IdentityConflictError (retriable), and the caller
 * decides again on a fresh view. Nothing is published before this commits, so the log never carries a
 * decision that lost a race.
 */
export const commitResolution = async (
  db: Transactional,
  resolution: Resolution,
  readAt: LoadedView,
): Promise<void> => {
  await db.transaction(async (q) => {
    await assertUnchanged(q, readAt.versions);
    for (const event of resolution.identityEvents) await applyIdentityEvent(q, event);
    for (const event of resolution.preferenceEvents) {
      await rememberPreference(q, event);
      await touchContact(q, event.externalId, false);
    }
    try {
      await q.query(
        `INSERT INTO identity.resolutions (inbound_event_id, identity_events, preference_events)
         VALUES ($1, $2::bytea[], $3::bytea[])`,
        [
          resolution.inboundEventId,
          resolution.identityEvents.map(encodeIdentityEvent),
          resolution.preferenceEvents.map(encodePreferenceEvent),
        ],
      );
    } catch (error) {
      throw asConflict(error, `resolution of ${resolution.inboundEventId}`);
    }
  });
};

// Locks in external_id order so two resolvers locking overlapping sets cannot deadlock.
const assertUnchanged = async (q: Queryable, versions: ReadonlyMap<string, string>): Promise<void> => {
  if (versions.size === 0) return;
  const rows = await selectRows<{ external_id: string; version: string }>(
    q,
    `SELECT external_id, version::text AS version FROM identity.contacts
      WHERE external_id = ANY($1::text[]) ORDER BY external_id FOR UPDATE`,
    [[...versions.keys()]],
  );
  const now = new Map(rows.map((r) => [r.external_id, r.version]));
  for (const [externalId, version] of versions) {
    if (now.get(externalId) !== version) {
      throw new IdentityConflictError(`contact ${externalId} changed while its fact was being resolved`);
    }
  }
};

export const findResolution = async (
  q: Queryable,
  inboundEventId: string,
): Promise<StoredResolution | null> => {
  const rows = await selectRows<{
    identity_events: Buffer[];
    preference_events: Buffer[];
    published: boolean;
  }>(
    q,
    `SELECT identity_events, preference_events, published_at IS NOT NULL AS published
       FROM identity.resolutions WHERE inbound_event_id = $1`,
    [inboundEventId],
  );
  const row = rows[0];
  if (row === undefined) return null;
  return {
    inboundEventId,
    identityEvents: row.identity_events.map(decodeIdentityEvent),
    preferenceEvents: row.preference_events.map(decodePreferenceEvent),
    published: row.published,
  };
};

/** After Kafka acknowledged the outputs: a later redelivery of the fact then publishes nothing. */
export const markPublished = async (q: Queryable, inboundEventId: string): Promise<void> => {
  await q.query(
    `UPDATE identity.resolutions SET published_at = now() WHERE inbound_event_id = $1 AND published_at IS NULL`,
    [inboundEventId],
  );
};
