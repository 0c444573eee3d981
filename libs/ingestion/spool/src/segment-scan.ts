import { readFile } from 'node:fs/promises';
import { FRAME_HEADER_BYTES, parseFrame } from './frame';

export interface SegmentScan {
  /** Start offset of every complete, CRC-valid record, in order. */
  readonly recordOffsets: readonly number[];
  /** End of the last valid record: everything after it is not a record. */
  readonly validEnd: number;
  readonly fileSize: number;
  /** Why the bytes after validEnd are not records, when there are any. */
  readonly damage: SegmentDamage | null;
}

export interface SegmentDamage {
  readonly offset: number;
  readonly reason: string;
  /**
   * True when the damage can only be an interrupted final write: the bad frame runs to (or past) the
   * end of the file, or everything after it is zeros (space the file system extended but never wrote).
   * Anything else means bytes that were once fsync'd and acknowledged went bad.
   */
  readonly tornTail: boolean;
}

/** Reads a whole segment (bounded by the segment size) and validates every frame. */
export async function scanSegment(path: string): Promise<SegmentScan> {
  const bytes = await readFile(path);
  const recordOffsets: number[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const parsed = parseFrame(bytes, offset);
    if (parsed.kind === 'frame') {
      recordOffsets.push(offset);
      offset = parsed.end;
      continue;
    }
    const reason = parsed.kind === 'incomplete' ? 'record cut short by end of file' : parsed.reason;
    return {
      recordOffsets,
      validEnd: offset,
      fileSize: bytes.length,
      damage: classify(bytes, offset, reason),
    };
  }
  return { recordOffsets, validEnd: offset, fileSize: bytes.length, damage: null };
}

function classify(bytes: Buffer, offset: number, reason: string): SegmentDamage {
  const rest = bytes.subarray(offset);
  const claimedEnd =
    rest.length >= FRAME_HEADER_BYTES ? offset + FRAME_HEADER_BYTES + rest.readUInt32BE(0) : Infinity;
  const tornTail = claimedEnd >= bytes.length || rest.every((byte) => byte === 0);
  return { offset, reason, tornTail };
}
