import { mkdir, open } from 'node:fs/promises';
import { readCheckpoint, type SpoolPosition } from './checkpoint';
import { createSegment, deleteSegment, listSegmentIds, segmentPath } from './segment-files';
import { scanSegment, type SegmentScan } from './segment-scan';
import { SpoolError } from './spool-error';
import type { SpoolWarning } from './spool-warning';

export interface SegmentState {
  readonly id: number;
  /** Bytes known to be complete, valid and fsync'd; readers never look past it. */
  size: number;
}

export interface RecoveredSpool {
  /** In append order; the last one is the active (appended-to) segment. Never empty. */
  readonly segments: SegmentState[];
  readonly position: SpoolPosition;
  readonly pendingRecords: number;
  readonly pendingBytes: number;
  readonly warnings: SpoolWarning[];
}

/**
 * Rebuilds the spool's state from the directory after a clean stop or a crash. Only the tail of the last
 * segment can hold a write that was interrupted (segments rotate only after an fsync'd append), so only
 * there is damage repaired; anywhere else it means acknowledged data went bad, and guessing would lose it.
 */
export async function recoverSpool(dir: string): Promise<RecoveredSpool> {
  await mkdir(dir, { recursive: true });
  const checkpoint = await readCheckpoint(dir);
  const firstLive = checkpoint?.segment ?? 0;
  let ids = await listSegmentIds(dir);
  // Segments before the checkpoint were fully drained; a crash came between checkpoint and delete.
  for (const id of ids.filter((id) => id < firstLive)) await deleteSegment(dir, id);
  ids = ids.filter((id) => id >= firstLive);
  if (ids.length === 0) {
    await createSegment(dir, firstLive);
    ids = [firstLive];
  }
  const position =
    checkpoint !== null && ids[0] === checkpoint.segment
      ? checkpoint
      : { segment: ids[0] ?? firstLive, offset: 0 };

  const warnings: SpoolWarning[] = [];
  const segments: SegmentState[] = [];
  let pendingRecords = 0;
  let pendingBytes = 0;
  for (const [index, id] of ids.entries()) {
    const scan = await scanSegment(segmentPath(dir, id));
    if (scan.damage !== null) {
      const isLast = index === ids.length - 1;
      if (!isLast || !scan.damage.tornTail) {
        throw new SpoolError(
          'CORRUPT',
          `segment ${id} damaged at byte ${scan.damage.offset} (${scan.damage.reason}); not a torn tail`,
          false,
        );
      }
      await truncate(segmentPath(dir, id), scan.validEnd);
      warnings.push(tornTailWarning(id, scan));
    }
    const from = id === position.segment ? position.offset : 0;
    if (from !== scan.validEnd && !scan.recordOffsets.includes(from)) {
      throw new SpoolError('CORRUPT', `checkpoint ${id}@${from} is not a record boundary`, false);
    }
    pendingRecords += scan.recordOffsets.filter((offset) => offset >= from).length;
    pendingBytes += scan.validEnd - from;
    segments.push({ id, size: scan.validEnd });
  }
  return { segments, position, pendingRecords, pendingBytes, warnings };
}

async function truncate(path: string, size: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(size);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function tornTailWarning(segment: number, scan: SegmentScan): SpoolWarning {
  const discardedBytes = scan.fileSize - scan.validEnd;
  return {
    code: 'TORN_TAIL_TRUNCATED',
    segment,
    offset: scan.validEnd,
    discardedBytes,
    message:
      `segment ${segment}: dropped ${discardedBytes} bytes of an interrupted write at byte ${scan.validEnd} ` +
      `(${scan.damage?.reason}); that append was never acknowledged`,
  };
}
