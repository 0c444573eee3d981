import type { IdentityEvent, MarketingPreferenceUpdated } from '@optstream/contracts';
import { rememberPreferences } from './emitted-preference-rows';
import { insertContacts, insertIdentifiers } from './rebuild-rows';
import { GraphModel } from './graph-model';
import type { Transactional } from './locked-view';
import { selectRows, type Queryable } from './queryable';

/** The live schema of the identity graph. */
export const LIVE_SCHEMA = 'identity';

/** The tables a rebuild re-creates from the log; data_keys and resolutions are not in any log. */
export const REBUILT_TABLES = ['contacts', 'identifiers', 'emitted_preferences'] as const;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const assertSchema = (schema: string): string => {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`not a plain schema name: ${JSON.stringify(schema)}`);
  return schema;
};

/**
 * Folds identity.v1 (each partition's events in offset order) into table rows, applying each event
 * by the statements' own rules (GraphModel, lenient). Partitions are merged in causal order: among
 * the partitions' next events, the earliest (recordedAt) whose preconditions already hold (its
 * contact registered, its identifier owned by the contact it moves from, …) goes first; only when
 * none holds is the earliest applied as it is. An event seen twice (a republished outbox row) is
 * applied once. Finally identifiers follow merge pointers to the survivor, as the merge statement
 * moves them live.
 */
export const foldIdentityLog = (partitions: readonly (readonly IdentityEvent[])[]): GraphModel => {
  const model = new GraphModel();
  const seen = new Set<string>();
  const at = partitions.map(() => 0);
  const head = (p: number): IdentityEvent | undefined => partitions[p]?.[at[p] ?? 0];
  const earlier = (a: IdentityEvent, b: IdentityEvent): boolean => a.recordedAt < b.recordedAt;
  for (;;) {
    let first = -1;
    let firstApplicable = -1;
    for (let p = 0; p < partitions.length; p += 1) {
      let e = head(p);
      while (e !== undefined && seen.has(e.eventId)) {
        at[p] = (at[p] ?? 0) + 1;
        e = head(p);
      }
      if (e === undefined) continue;
      const currentFirst = first === -1 ? undefined : head(first);
      if (currentFirst === undefined || earlier(e, currentFirst)) first = p;
      if (model.canApply(e)) {
        const currentApplicable = firstApplicable === -1 ? undefined : head(firstApplicable);
        if (currentApplicable === undefined || earlier(e, currentApplicable)) firstApplicable = p;
      }
    }
    if (first === -1) break;
    const pick = firstApplicable === -1 ? first : firstApplicable;
    const event = head(pick) as IdentityEvent;
    model.apply(event, 'lenient');
    seen.add(event.eventId);
    at[pick] = (at[pick] ?? 0) + 1;
  }
  model.settleOwnersOnSurvivors();
  return model;
};

/** A fresh schema with empty copies of the rebuilt tables (columns, defaults, keys, checks, indexes). */
export const createRebuildSchema = async (q: Queryable, schema: string): Promise<void> => {
  const s = assertSchema(schema);
  await q.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await q.query(`CREATE SCHEMA ${s}`);
  for (const table of REBUILT_TABLES) {
    await q.query(`CREATE TABLE ${s}.${table} (LIKE ${LIVE_SCHEMA}.${table} INCLUDING ALL)`);
  }
};

/** Writes the folded graph and the latest preference per (contact, channel) into `schema`. */
export const writeRebuiltGraph = async (
  q: Queryable,
  schema: string,
  model: GraphModel,
  preferences: readonly MarketingPreferenceUpdated[],
): Promise<{ contacts: number; identifiers: number }> => {
  const s = assertSchema(schema);
  const writes = model.writes();
  await insertContacts(q, writes.newContacts, s);
  await insertIdentifiers(q, writes.newIdentifiers, s);
  await rememberPreferences(q, preferences, s);
  return { contacts: writes.newContacts.length, identifiers: writes.newIdentifiers.length };
};

/** Rows of one table that only one side has (a row that differs counts once on each side). */
export interface TableDiff {
  readonly table: string;
  readonly onlyLeft: number;
  readonly onlyRight: number;
}

// The columns that ARE the projection. contacts.version (a concurrency token bumped by every write)
// and created_at (when the row was written) are bookkeeping of the instance, not state of the log.
const COMPARED: Record<(typeof REBUILT_TABLES)[number], string> = {
  contacts: 'external_id, provisional, merged_into, erased',
  identifiers: 'kind, keyed_hash, external_id, sealed_value, data_key_id, event_id',
  emitted_preferences:
    'external_id, channel, event_id, new_status, source_of_change, source_system, provider_event_ref, occurred_at, topic, evidence, pending_expires_at',
};

/**
 * Compares the rebuilt tables of two schemas row by row (EXCEPT both ways). `scope`: only rows of
 * these contacts (a test's own graph inside a shared database); omitted, the whole tables.
 */
export const compareGraphs = async (
  q: Queryable,
  left: string,
  right: string,
  scope?: readonly string[],
): Promise<TableDiff[]> => {
  const [l, r] = [assertSchema(left), assertSchema(right)];
  const where = scope === undefined ? '' : 'WHERE external_id = ANY($1::text[])';
  const params = scope === undefined ? [] : [[...scope]];
  const out: TableDiff[] = [];
  for (const table of REBUILT_TABLES) {
    const cols = COMPARED[table];
    const count = async (a: string, b: string): Promise<number> => {
      const rows = await selectRows<{ n: string }>(
        q,
        `SELECT count(*)::text AS n FROM (
           SELECT ${cols} FROM ${a}.${table} ${where}
           EXCEPT ALL
           SELECT ${cols} FROM ${b}.${table} ${where}) d`,
        params,
      );
      return Number(rows[0]?.n ?? 0);
    };
    out.push({ table, onlyLeft: await count(l, r), onlyRight: await count(r, l) });
  }
  return out;
};

/**
 * Swaps the rebuilt tables in, atomically: under ACCESS EXCLUSIVE locks on the live tables (every
 * resolver commit waits), `check` runs first (the caller's guard: nothing committed but unpublished,
 * the log did not move on); then the live tables move to `previous` (kept for rollback) and the
 * rebuilt ones into the live schema. Readers and writers see either the old or the new tables.
 */
export const swapGraph = async (
  db: Transactional,
  live: string,
  rebuilt: string,
  previous: string,
  check: (q: Queryable) => Promise<void> = async () => undefined,
): Promise<void> => {
  const [l, r, p] = [assertSchema(live), assertSchema(rebuilt), assertSchema(previous)];
  await db.transaction(async (q) => {
    await q.query(`LOCK TABLE ${REBUILT_TABLES.map((t) => `${l}.${t}`).join(', ')} IN ACCESS EXCLUSIVE MODE`);
    await check(q);
    await q.query(`DROP SCHEMA IF EXISTS ${p} CASCADE`);
    await q.query(`CREATE SCHEMA ${p}`);
    for (const table of REBUILT_TABLES) {
      await q.query(`ALTER TABLE ${l}.${table} SET SCHEMA ${p}`);
      await q.query(`ALTER TABLE ${r}.${table} SET SCHEMA ${l}`);
    }
    await q.query(`DROP SCHEMA ${r}`);
  });
};

/** Inbound facts committed but not yet published: their graph changes are not in the log yet. */
export const unpublishedResolutions = async (q: Queryable): Promise<number> => {
  const rows = await selectRows<{ n: string }>(
    q,
    `SELECT count(*)::text AS n FROM ${LIVE_SCHEMA}.resolutions WHERE published_at IS NULL`,
  );
  return Number(rows[0]?.n ?? 0);
};
