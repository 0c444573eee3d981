import { keyedHash } from '@optstream/pii-crypto';
import { erasureMessage, erasureRequest } from './erasure-request';

describe('erasure requests', () => {
  const hashKey = Buffer.alloc(32, 7);

  it('one id per contact, so a repeated request collapses downstream', () => {
    expect(erasureRequest('c-1', 1).eventId).toBe(erasureRequest('c-1', 2).eventId);
    expect(erasureRequest('c-1', 1).eventId).not.toBe(erasureRequest('c-2', 1).eventId);
  });

  it('names the contact by externalId only, as an erasure_request fact', () => {
    const fact = erasureRequest('c-1', 1_767_225_600_000);
    expect(fact).toMatchObject({
      kind: 'erasure_request',
      identifiers: { externalId: 'c-1', email: null, phone: null, anonymousId: null },
      source: { system: 'optstream_api' },
      occurredAt: 1_767_225_600_000,
    });
  });

  it('is keyed by the keyed hash of the externalId, like the gateway keys facts', () => {
    expect(erasureMessage(hashKey, 'c-1', 1).key).toBe(keyedHash(hashKey, 'external_id', 'c-1'));
  });
});
