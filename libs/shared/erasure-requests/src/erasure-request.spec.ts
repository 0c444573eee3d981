import { keyedHash } from '@optstream/pii-crypto';
import { erasureMessage, erasureRequest } from './erasure-request';

describe('erasure requests', () => {
  const hashKey = Buffer.alloc(32, 7);

  it('gives every request its own id, so a request that found nobody cannot swallow a later one', () => {
    expect(erasureRequest('c-1', 1, 'r-1').eventId).not.toBe(erasureRequest('c-1', 1, 'r-2').eventId);
    expect(erasureRequest('c-1', 1, 'r-1').eventId).not.toBe(erasureRequest('c-2', 1, 'r-1').eventId);
    // Deterministic in (contact, request): a redelivered request keeps its id.
    expect(erasureRequest('c-1', 1, 'r-1').eventId).toBe(erasureRequest('c-1', 2, 'r-1').eventId);
  });

  it('names the contact by externalId only, as an erasure_request fact', () => {
    const fact = erasureRequest('c-1', 1_767_225_600_000, 'r-1');
    expect(fact).toMatchObject({
      kind: 'erasure_request',
      identifiers: { externalId: 'c-1', email: null, phone: null, anonymousId: null },
      source: { system: 'optstream_api', providerEventRef: 'erasure:r-1' },
      occurredAt: 1_767_225_600_000,
    });
  });

  it('is keyed by the keyed hash of the externalId, like the gateway keys facts', () => {
    const message = erasureMessage(hashKey, { externalId: 'c-1', requestedAt: 1, requestId: 'r-1' });
    expect(message.key).toBe(keyedHash(hashKey, 'external_id', 'c-1'));
    expect(message.eventId).toBe(message.value.eventId);
  });
});
