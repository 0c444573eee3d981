import { decodeRecord, encodeRecord } from './record-codec';
import { SpoolError } from './spool-error';
import type { SpoolRecord } from './spool-record';

describe('record codec', () => {
  it('round-trips topic, null and binary keys, value bytes and unicode headers', () => {
    const cases: SpoolRecord[] = [
      { topic: 'contact.inbound.v1', key: null, value: Buffer.from([0, 0, 0, 0, 7, 255]), headers: {} },
      {
        topic: 'contact.inbound.v1',
        key: Buffer.from([0, 1, 2, 255]),
        value: Buffer.alloc(0),
        headers: { traceparent: '00-abc-def-01', 'x-naïve': 'über ✓' },
      },
    ];
    for (const original of cases) {
      const decoded = decodeRecord(encodeRecord(original));
      expect(decoded.topic).toBe(original.topic);
      expect(decoded.key === null ? null : [...decoded.key]).toEqual(
        original.key === null ? null : [...original.key],
      );
      expect([...decoded.value]).toEqual([...original.value]);
      expect(decoded.headers).toEqual(original.headers);
    }
  });

  it('rejects payloads that are truncated, padded or of an unknown version', () => {
    const encoded = encodeRecord({ topic: 't', key: null, value: Buffer.from('v'), headers: { a: 'b' } });
    const broken = [encoded.subarray(0, encoded.length - 1), Buffer.concat([encoded, Buffer.from([0])])];
    const otherVersion = Buffer.from(encoded);
    otherVersion[0] = 2;
    for (const payload of [...broken, otherVersion]) {
      expect(() => decodeRecord(payload)).toThrow(SpoolError);
    }
  });
});
