import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { SpoolError } from './spool-error';
import { syncDirectory } from './segment-files';

/** The drain position: the next record to publish is at byte `offset` of segment `segment`. */
export interface SpoolPosition {
  readonly segment: number;
  readonly offset: number;
}

const FILE = 'checkpoint.json';

export async function readCheckpoint(dir: string): Promise<SpoolPosition | null> {
  let text: string;
  try {
    text = await readFile(join(dir, FILE), 'utf8');
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
  const parsed: unknown = JSON.parse(text);
  if (!isPosition(parsed)) throw new SpoolError('CORRUPT', `malformed checkpoint: ${text}`, false);
  return { segment: parsed.segment, offset: parsed.offset };
}

/**
 * Write to a temp file, fsync, rename over the old one, fsync the directory: a crash leaves either the
 * old or the new checkpoint, never a half-written one, and the new one survives once this resolves.
 */
export async function writeCheckpoint(dir: string, position: SpoolPosition): Promise<void> {
  const temp = join(dir, `${FILE}.tmp`);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(JSON.stringify({ segment: position.segment, offset: position.offset }));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, join(dir, FILE));
  await syncDirectory(dir);
}

function isPosition(value: unknown): value is SpoolPosition {
  if (typeof value !== 'object' || value === null) return false;
  const { segment, offset } = value as Record<string, unknown>;
  return Number.isSafeInteger(segment) && Number.isSafeInteger(offset) && Number(offset) >= 0;
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}
