import { crc32 } from 'node:zlib';
import { encodeFrame, FRAME_HEADER_BYTES, parseFrame } from './frame';

describe('frame', () => {
  it('uses the standard CRC-32 (IEEE) so the files can be checked with common tools', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('parses back what it encodes and reports where the next frame starts', () => {
    const frames = Buffer.concat([encodeFrame(Buffer.from('first')), encodeFrame(Buffer.from('second!'))]);
    const first = parseFrame(frames, 0);
    expect(first).toMatchObject({ kind: 'frame', end: FRAME_HEADER_BYTES + 5 });
    const second = parseFrame(frames, FRAME_HEADER_BYTES + 5);
    expect(second.kind === 'frame' && second.payload.toString()).toBe('second!');
  });

  it('tells an incomplete frame from a corrupted one', () => {
    const frame = encodeFrame(Buffer.from('payload'));
    expect(parseFrame(frame.subarray(0, 5), 0)).toEqual({ kind: 'incomplete', needed: FRAME_HEADER_BYTES });
    expect(parseFrame(frame.subarray(0, frame.length - 1), 0)).toEqual({
      kind: 'incomplete',
      needed: frame.length,
    });
    const flipped = Buffer.from(frame);
    flipped[frame.length - 1] ^= 0x01;
    expect(parseFrame(flipped, 0)).toEqual({ kind: 'invalid', reason: 'CRC mismatch' });
    expect(parseFrame(Buffer.alloc(16), 0)).toEqual({ kind: 'invalid', reason: 'zero-length frame' });
  });
});
