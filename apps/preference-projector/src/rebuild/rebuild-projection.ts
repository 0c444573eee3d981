import {
  activeVersion,
  allocateRebuildVersion,
  attachHistory,
  loadOffsets,
  lockForSwap,
  setActiveVersion,
  type ProjectionTarget,
} from '@optstream/preferences-data-access';
import type { Kafka } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import type { ProjectorConfig } from '../config/projector-config';
import { connectKafka } from '../projector-runtime';
import { LogReplayer, partitionKey, type Offsets } from './log-replayer';

export interface RebuildProgress {
  /** 'replay': from offset 0 up to the live checkpoints; 'swap': closing the gap under the swap lock. */
  readonly phase: 'replay' | 'swap';
  readonly applied: number;
  readonly total: number;
}

export interface RebuildResult {
  readonly projection: string;
  readonly previousVersion: number | null;
  readonly version: number;
  readonly records: number;
  readonly seconds: number;
}

/**
 * Replays the log from offset 0 into a NEW projection version and swaps it in atomically while the
 * live projector keeps serving and consuming.
 *
 * The rebuild stops exactly at the live version's checkpoints, never past them: after the swap, the
 * live projector continues from the same offsets in the new version, so every effective change is
 * still published by it exactly once (a rebuild publishes nothing). The swap transaction holds the
 * pointer row FOR UPDATE, which blocks live batches (they take it FOR SHARE first), re-reads the live
 * checkpoints, replays the last gap, and flips the pointer. Without a live version, it replays to the
 * end offsets seen at start.
 */
export async function rebuildProjection(
  config: ProjectorConfig,
  db: DataSource,
  onProgress: (progress: RebuildProgress) => void = () => undefined,
): Promise<RebuildResult> {
  const started = Date.now();
  const projection = config.PROJECTION_NAME;
  const previousVersion = await activeVersion(db, projection);
  const version = await allocateRebuildVersion(db);
  const { kafka, codec } = await connectKafka(config);
  const topics = { preferences: config.PREFERENCES_TOPIC, identity: config.IDENTITY_TOPIC };
  const { starts, ends } = await watermarks(kafka, [topics.preferences, topics.identity]);
  const target: ProjectionTarget = { projection, version, fenceActiveVersion: false, useOutbox: false };
  let phase: RebuildProgress['phase'] = 'replay';
  let total = 0;
  const replayer = new LogReplayer(
    kafka,
    codec,
    db,
    target,
    topics,
    `${config.CONSUMER_GROUP}-rebuild-v${version}`,
    (applied) => onProgress({ phase, applied, total }),
  );
  const checkpoints = async (tx: DataSource | EntityManager) =>
    previousVersion === null ? ends : asOffsets(await loadOffsets(tx, previousVersion));
  try {
    const initial = await checkpoints(db);
    await replayer.start(starts, initial);
    total = Number(replayer.remaining());
    onProgress({ phase, applied: 0, total });
    await replayer.caughtUp();
    // The contact states the bulk loader kept in memory, written before the swap lock is taken: the
    // lock holds live batches back only for the last gap.
    await replayer.flush();
    // The history was loaded without its secondary index (see allocateRebuildVersion): build it now.
    await attachHistory(db, version);
    await db.transaction(async (tx) => {
      await lockForSwap(tx, projection);
      phase = 'swap';
      replayer.raiseTargets(await checkpoints(tx));
      total = replayer.applied + Number(replayer.remaining());
      await replayer.caughtUp();
      // Committed (on another connection) before the swap commits: the new version is complete when
      // it becomes active.
      await replayer.flush();
      await setActiveVersion(tx, projection, version);
    });
  } finally {
    await replayer.stop();
  }
  return {
    projection,
    previousVersion,
    version,
    records: replayer.applied,
    seconds: (Date.now() - started) / 1000,
  };
}

const asOffsets = (rows: readonly { topic: string; partition: number; nextOffset: bigint }[]): Offsets =>
  new Map(rows.map((r) => [partitionKey(r.topic, r.partition), r.nextOffset]));

async function watermarks(
  kafka: Kafka,
  topics: readonly string[],
): Promise<{ starts: Offsets; ends: Offsets }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const starts = new Map<string, bigint>();
    const ends = new Map<string, bigint>();
    for (const topic of topics)
      for (const p of await admin.fetchTopicOffsets(topic)) {
        starts.set(partitionKey(topic, p.partition), BigInt(p.low));
        ends.set(partitionKey(topic, p.partition), BigInt(p.high));
      }
    return { starts, ends };
  } finally {
    await admin.disconnect();
  }
}
