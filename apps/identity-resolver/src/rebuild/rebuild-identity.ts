import type { IdentityEvent, MarketingPreferenceUpdated } from '@optstream/contracts';
import {
  compareGraphs,
  createRebuildSchema,
  foldIdentityLog,
  LIVE_SCHEMA,
  swapGraph,
  unpublishedResolutions,
  writeRebuiltGraph,
  type TableDiff,
} from '@optstream/identity-data-access';
import { endOffsets, type AvroCodec } from '@optstream/kafka';
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { readLog } from './read-log';

export interface RebuildOptions {
  readonly identityTopic: string;
  readonly preferencesTopic: string;
  /** Where the tables are rebuilt (dropped and created afresh). */
  readonly schema: string;
  /** Swap the rebuilt tables in (the live ones move to `previousSchema`). */
  readonly swap: boolean;
  readonly previousSchema: string;
  /** Compare only these contacts' rows (a test inside a shared database); default: whole tables. */
  readonly scope?: readonly string[];
  readonly liveSchema?: string;
  readonly onProgress?: (phase: string, records: number) => void;
}

export interface RebuildReport {
  readonly schema: string;
  readonly identityRecords: number;
  readonly preferenceRecords: number;
  readonly undecodable: number;
  readonly contacts: number;
  readonly identifiers: number;
  readonly differences: readonly TableDiff[];
  readonly identical: boolean;
  readonly swapped: boolean;
  readonly seconds: number;
}

const sameOffsets = (a: ReadonlyMap<number, string>, b: ReadonlyMap<number, string>): boolean =>
  a.size === b.size && [...a].every(([p, o]) => b.get(p) === o);

/**
 * Rebuilds contacts, identifiers (from identity.v1) and emitted_preferences (from
 * marketing-preference-updated.v1) from offset 0 into a fresh schema, compares them row by row with
 * the live tables, and, when asked, swaps them in. data_keys (not in any log; an erased contact's key
 * must never come back) and resolutions (the outbox) are never touched.
 *
 * The swap is refused unless the live graph is exactly what the log says: under ACCESS EXCLUSIVE locks
 * on the live tables (resolver commits wait), no fact may be committed-but-unpublished and neither
 * topic may have grown since it was read. Run it with the resolver stopped (or quiet): it then goes
 * through at once; otherwise it fails safely and can be run again.
 */
export async function rebuildIdentity(
  kafka: Kafka,
  codec: AvroCodec,
  db: DataSource,
  options: RebuildOptions,
): Promise<RebuildReport> {
  const started = Date.now();
  const live = options.liveSchema ?? LIVE_SCHEMA;
  const progress = options.onProgress ?? (() => undefined);
  const identity = await readLog<IdentityEvent>(kafka, codec, options.identityTopic, (n) =>
    progress('identity.v1', n),
  );
  const preferences = await readLog<MarketingPreferenceUpdated>(kafka, codec, options.preferencesTopic, (n) =>
    progress('preferences', n),
  );
  const model = foldIdentityLog(identity.partitions);
  const written = await db.transaction(async (q) => {
    await createRebuildSchema(q, options.schema);
    return writeRebuiltGraph(q, options.schema, model, preferences.partitions.flat());
  });
  const differences = await compareGraphs(db, live, options.schema, options.scope);
  const identical = differences.every((d) => d.onlyLeft === 0 && d.onlyRight === 0);
  let swapped = false;
  if (options.swap) {
    await swapGraph(db, live, options.schema, options.previousSchema, async (q) => {
      const unpublished = await unpublishedResolutions(q);
      if (unpublished > 0) {
        throw new Error(`${unpublished} resolved fact(s) are not published yet: stop the resolver and retry`);
      }
      const [identityNow, preferencesNow] = await Promise.all([
        endOffsets(kafka, options.identityTopic),
        endOffsets(kafka, options.preferencesTopic),
      ]);
      if (!sameOffsets(identityNow, identity.ends) || !sameOffsets(preferencesNow, preferences.ends)) {
        throw new Error('the log grew while rebuilding: stop the resolver and retry');
      }
    });
    swapped = true;
  }
  return {
    schema: options.schema,
    identityRecords: identity.records,
    preferenceRecords: preferences.records,
    undecodable: identity.undecodable + preferences.undecodable,
    contacts: written.contacts,
    identifiers: written.identifiers,
    differences,
    identical,
    swapped,
    seconds: (Date.now() - started) / 1000,
  };
}
