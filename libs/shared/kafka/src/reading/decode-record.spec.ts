import type { AvroCodec } from '../codec';
import { ProcessingError } from '../errors';
import { decodeRecord } from './decode-record';

/** A codec whose decode answers with `outcome`: only decode is used. */
const codec = (outcome: () => Promise<unknown>) => ({ decode: outcome }) as unknown as AvroCodec;

describe('decodeRecord', () => {
  it('hands over the decoded value', async () => {
    await expect(
      decodeRecord(
        codec(async () => ({ a: 1 })),
        Buffer.from('x'),
      ),
    ).resolves.toEqual({
      ok: true,
      value: { a: 1 },
    });
  });

  it('reports a record that cannot be decoded, with why', async () => {
    const bad = new ProcessingError('DECODE_FAILED', 'not Avro', false);
    await expect(
      decodeRecord(
        codec(() => Promise.reject(bad)),
        Buffer.from('x'),
      ),
    ).resolves.toEqual({
      ok: false,
      error: bad,
    });
  });

  it('throws a retriable failure: the registry being down is no reason to skip a record', async () => {
    const outage = new ProcessingError('REGISTRY_UNAVAILABLE', 'connection refused', true);
    await expect(
      decodeRecord(
        codec(() => Promise.reject(outage)),
        Buffer.from('x'),
      ),
    ).rejects.toBe(outage);
  });
});
