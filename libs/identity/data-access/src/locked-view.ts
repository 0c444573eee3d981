import { loadBatchView, type BatchViewQuery, type LoadedView } from './load-view';
import { asConflict, IdentityConflictError } from './pg-errors';
import { selectRows, type Queryable } from './queryable';

export interface Transactional {
  transaction<T>(work: (q: Queryable) => Promise<T>): Promise<T>;
}

/**
 * Runs `work` in ONE transaction on a view that cannot change under it: the batch's view is loaded,
 * its contacts are locked (FOR UPDATE, in id order, so concurrent batches cannot deadlock on them) and
 * their versions compared with what was loaded; if a contact moved between the read and the lock, the
 * view is read again under the locks. Every writer locks the contacts it read before writing, so the
 * only thing that can still collide is a NEW row (a contact or identifier inserted meanwhile by
 * another writer): its unique key throws IdentityConflictError and nothing of the batch is kept.
 *
 * Pessimistic rather than optimistic: partitions resolved concurrently share contacts (one person's
 * email-keyed and externalId-keyed facts), and a batch of hundreds of facts that lost a version race
 * would redo all of them.
 */
export const withLockedView = async <T>(
  db: Transactional,
  query: BatchViewQuery,
  work: (q: Queryable, readAt: LoadedView) => Promise<T>,
): Promise<T> =>
  db.transaction(async (q) => {
    let readAt = await loadBatchView(q, query);
    for (let round = 0; ; round += 1) {
      const moved = await lockAndCompare(q, readAt.versions);
      if (!moved) break;
      if (round >= 3) throw new IdentityConflictError('the batch view kept moving while being locked');
      readAt = await loadBatchView(q, query);
    }
    try {
      return await work(q, readAt);
    } catch (error) {
      throw asConflict(error, 'batch');
    }
  });

const lockAndCompare = async (q: Queryable, versions: ReadonlyMap<string, string>): Promise<boolean> => {
  if (versions.size === 0) return false;
  const rows = await selectRows<{ external_id: string; version: string }>(
    q,
    `SELECT external_id, version::text AS version FROM identity.contacts
      WHERE external_id = ANY($1::text[]) ORDER BY external_id FOR UPDATE`,
    [[...versions.keys()]],
  );
  const now = new Map(rows.map((r) => [r.external_id, r.version]));
  return [...versions].some(([id, version]) => now.get(id) !== version);
};
