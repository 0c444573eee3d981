import { crc32 } from 'node:zlib';

/**
 * On disk every record is `u32 payloadLength · u32 crc32(payload) · payload` (big-endian). The length lets
 * a reader find the next record; the CRC tells a complete record from a torn or rotted one. zlib.crc32 is
 * in every Node version the repo allows (engines >= 20.19; it landed in 20.15).
 */
export const FRAME_HEADER_BYTES = 8;

export function encodeFrame(payload: Buffer): Buffer {
  const frame = Buffer.alloc(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  frame.writeUInt32BE(crc32(payload), 4);
  payload.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

export type FrameParse =
  | { readonly kind: 'frame'; readonly payload: Buffer; readonly end: number }
  /** The buffer ends before the frame does: read more, or (at end of file) a torn write. */
  | { readonly kind: 'incomplete'; readonly needed: number }
  /** Zero length or CRC mismatch: a torn tail or corruption, depending on where it sits. */
  | { readonly kind: 'invalid'; readonly reason: string };

/** Parses the frame starting at `offset` of `buffer`; `needed` is the total byte count from `offset`. */
export function parseFrame(buffer: Buffer, offset: number): FrameParse {
  if (buffer.length - offset < FRAME_HEADER_BYTES) return { kind: 'incomplete', needed: FRAME_HEADER_BYTES };
  const length = buffer.readUInt32BE(offset);
  // Payloads are never empty (a record has at least a version byte); a zero header is unwritten space.
  if (length === 0) return { kind: 'invalid', reason: 'zero-length frame' };
  const end = offset + FRAME_HEADER_BYTES + length;
  if (end > buffer.length) return { kind: 'incomplete', needed: FRAME_HEADER_BYTES + length };
  const payload = buffer.subarray(offset + FRAME_HEADER_BYTES, end);
  if (crc32(payload) !== buffer.readUInt32BE(offset + 4)) return { kind: 'invalid', reason: 'CRC mismatch' };
  return { kind: 'frame', payload, end };
}
