import { open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Segments are named by a zero-padded, ever-increasing id, so lexical order is append order and the
 * directory alone says what to read next after a restart.
 */
const SEGMENT_PATTERN = /^(\d{16})\.seg$/;

export function segmentPath(dir: string, id: number): string {
  return join(dir, `${String(id).padStart(16, '0')}.seg`);
}

export async function listSegmentIds(dir: string): Promise<number[]> {
  const ids: number[] = [];
  for (const name of await readdir(dir)) {
    const match = SEGMENT_PATTERN.exec(name);
    if (match?.[1] !== undefined) ids.push(Number(match[1]));
  }
  return ids.sort((a, b) => a - b);
}

/**
 * A created, renamed or deleted file is only durable once its DIRECTORY entry is fsync'd too; without
 * this a crash can "un-create" a segment whose records were already acknowledged.
 */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function createSegment(dir: string, id: number): Promise<void> {
  // 'wx': an existing file with this id would mean two writers or a bookkeeping bug; never overwrite it.
  const handle = await open(segmentPath(dir, id), 'wx');
  await handle.close();
  await syncDirectory(dir);
}

export async function deleteSegment(dir: string, id: number): Promise<void> {
  await rm(segmentPath(dir, id), { force: true });
  await syncDirectory(dir);
}
