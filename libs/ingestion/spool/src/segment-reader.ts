import { open } from 'node:fs/promises';
import { parseFrame } from './frame';
import { decodeRecord } from './record-codec';
import { SpoolError } from './spool-error';
import type { SpoolRecord } from './spool-record';

export interface ReadBatch {
  readonly records: SpoolRecord[];
  /** Offset just after the last returned record: the checkpoint once they are published. */
  readonly next: number;
  readonly bytes: number;
}

const CHUNK_BYTES = 1024 * 1024;

/**
 * Reads up to `max` records from `from`, never past `end` (the size known to be fsync'd: bytes beyond it
 * may belong to an append still in flight).
 */
export async function readBatch(path: string, from: number, end: number, max: number): Promise<ReadBatch> {
  const handle = await open(path, 'r');
  try {
    const records: SpoolRecord[] = [];
    let buffer = Buffer.alloc(0);
    let bufferStart = from;
    let offset = from;
    while (records.length < max && offset < end) {
      let parsed = parseFrame(buffer, offset - bufferStart);
      if (parsed.kind === 'incomplete') {
        // Refill from the current record on, large enough for it (frames can exceed one chunk).
        const wanted = Math.min(end - offset, Math.max(CHUNK_BYTES, parsed.needed));
        buffer = Buffer.alloc(wanted);
        const { bytesRead } = await handle.read(buffer, 0, wanted, offset);
        buffer = buffer.subarray(0, bytesRead);
        bufferStart = offset;
        parsed = parseFrame(buffer, 0);
      }
      if (parsed.kind !== 'frame') {
        const reason = parsed.kind === 'invalid' ? parsed.reason : 'record cut short';
        // Recovery validated these bytes on open: failing now means the disk changed them underneath us.
        throw new SpoolError('CORRUPT', `${path}@${offset}: ${reason}`, false);
      }
      records.push(decodeRecord(parsed.payload));
      offset = bufferStart + parsed.end;
    }
    return { records, next: offset, bytes: offset - from };
  } finally {
    await handle.close();
  }
}
