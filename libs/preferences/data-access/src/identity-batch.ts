import type { IdentityEvent } from '@optstream/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { nextOffsetAfter, unappliedEvents, type PartitionBatch, type ProjectionTarget } from './batch';
import { lockContactStates } from './erasure-fence';
import { lockOffset, storeOffset } from './offsets';
import { fenceActiveVersion } from './projection-versions';
import { fromEpochMs } from './state-rows';

export interface IdentityBatchOutcome {
  readonly applied: number;
  readonly alreadyApplied: number;
  /** Kinds this reader does not know (enum default) or events missing what their kind needs. */
  readonly ignored: number;
}

/**
 * Applies identity.v1 events (the identifiers and contacts tables) with the partition checkpoint in
 * the same transaction. Statements are per event here, unlike preferences: identity events are about
 * one per contact and identifier, orders of magnitude rarer than consent changes, and a merge must see
 * the links before it. Every statement is order-insensitive where the log's partitions can interleave:
 * an identifier's owner is decided by (occurredAt, eventId), not by arrival.
 */
export interface IdentityBatchHooks {
  /**
   * Called inside the transaction, after the contacts are marked erased and their state locks taken
   * (`lockContactStates`), before the commit: where the projector publishes their tombstones. A crash
   * before the commit repeats the batch and the tombstones (harmless); none can be lost.
   */
  readonly onErased?: (externalIds: readonly string[]) => Promise<void>;
}

export async function applyIdentityBatch(
  db: DataSource,
  target: ProjectionTarget,
  batch: PartitionBatch<IdentityEvent>,
  hooks: IdentityBatchHooks = {},
): Promise<IdentityBatchOutcome> {
  return db.transaction('READ COMMITTED', async (tx) => {
    if (target.fenceActiveVersion) await fenceActiveVersion(tx, target.projection, target.version);
    const checkpoint = await lockOffset(tx, target.version, batch.topic, batch.partition);
    const pending = unappliedEvents(batch.events, checkpoint);
    const next = nextOffsetAfter(batch, checkpoint);
    if (next === null) return { applied: 0, alreadyApplied: batch.events.length, ignored: 0 };
    let ignored = 0;
    for (const { value } of pending) if (!(await applyIdentityEvent(tx, target.version, value))) ignored += 1;
    const erased = pending.filter((e) => e.value.kind === 'contact_erased').map((e) => e.value.externalId);
    if (erased.length > 0 && hooks.onErased) {
      await lockContactStates(tx, erased);
      await hooks.onErased(erased);
    }
    await storeOffset(tx, target.version, batch.topic, batch.partition, next);
    return {
      applied: pending.length - ignored,
      alreadyApplied: batch.events.length - pending.length,
      ignored,
    };
  });
}

async function applyIdentityEvent(
  tx: EntityManager,
  version: number,
  event: IdentityEvent,
): Promise<boolean> {
  switch (event.kind) {
    case 'contact_registered':
      await ensureContact(tx, version, event.externalId, event.recordedAt, event.provisional);
      return true;
    case 'identifier_linked':
    case 'identifier_reassigned':
      if (event.identifier === null || event.identifier.kind === 'unknown') return false;
      await ensureContact(tx, version, event.externalId, event.recordedAt, null);
      await tx.query(
        `INSERT INTO preferences.identifiers (projection_version, kind, keyed_hash, external_id, occurred_at, event_id)
         VALUES ($1, $2, $3, $4, ${fromEpochMs('$5::float8')}, $6)
         ON CONFLICT (projection_version, kind, keyed_hash) DO UPDATE SET
            external_id = EXCLUDED.external_id, occurred_at = EXCLUDED.occurred_at, event_id = EXCLUDED.event_id
          WHERE (identifiers.occurred_at, identifiers.event_id) < (EXCLUDED.occurred_at, EXCLUDED.event_id)`,
        [
          version,
          event.identifier.kind,
          event.identifier.keyedHash,
          event.externalId,
          event.occurredAt,
          event.eventId,
        ],
      );
      return true;
    case 'contacts_merged': {
      const merged = event.otherExternalId;
      if (merged === null) return false;
      await ensureContact(tx, version, event.externalId, event.recordedAt, null);
      await ensureContact(tx, version, merged, event.recordedAt, null);
      await tx.query(
        `UPDATE preferences.contacts SET merged_into = $3
          WHERE projection_version = $1 AND external_id = $2`,
        [version, merged, event.externalId],
      );
      await tx.query(
        `UPDATE preferences.identifiers SET external_id = $3
          WHERE projection_version = $1 AND external_id = $2`,
        [version, merged, event.externalId],
      );
      return true;
    }
    case 'contact_erased':
      await ensureContact(tx, version, event.externalId, event.recordedAt, null);
      await tx.query(
        `UPDATE preferences.contacts SET erased_at = ${fromEpochMs('$3::float8')}
          WHERE projection_version = $1 AND external_id = $2`,
        [version, event.externalId, event.occurredAt],
      );
      return true;
    case 'unknown':
      return false;
  }
}

async function ensureContact(
  tx: EntityManager,
  version: number,
  externalId: string,
  recordedAt: number,
  /** Only a registration says whether a contact is provisional; null leaves it as it is. */
  provisional: boolean | null,
): Promise<void> {
  await tx.query(
    `INSERT INTO preferences.contacts (projection_version, external_id, provisional, updated_at)
     VALUES ($1, $2, COALESCE($3::boolean, false), ${fromEpochMs('$4::float8')})
     ON CONFLICT (projection_version, external_id) DO UPDATE SET
        provisional = COALESCE($3::boolean, contacts.provisional),
        updated_at = GREATEST(contacts.updated_at, EXCLUDED.updated_at)`,
    [version, externalId, provisional, recordedAt],
  );
}
