import { idempotencyKey } from './idempotency';

const post = { method: 'POST', path: '/users/track' } as const;

describe('idempotencyKey', () => {
  const key = idempotencyKey('braze', [{ externalId: 'c1', version: 3 }], post);

  it('is stable for the same provider, contact version and request', () => {
    expect(idempotencyKey('braze', [{ externalId: 'c1', version: 3 }], post)).toBe(key);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('does not depend on the order of contacts in a batch', () => {
    const a = idempotencyKey(
      'braze',
      [
        { externalId: 'a', version: 1 },
        { externalId: 'b', version: 2 },
      ],
      post,
    );
    const b = idempotencyKey(
      'braze',
      [
        { externalId: 'b', version: 2 },
        { externalId: 'a', version: 1 },
      ],
      post,
    );
    expect(a).toBe(b);
  });

  it.each([
    ['another version', () => idempotencyKey('braze', [{ externalId: 'c1', version: 4 }], post)],
    ['another contact', () => idempotencyKey('braze', [{ externalId: 'c2', version: 3 }], post)],
    ['another provider', () => idempotencyKey('onesignal', [{ externalId: 'c1', version: 3 }], post)],
    [
      'another request of the same state',
      () => idempotencyKey('braze', [{ externalId: 'c1', version: 3 }], { method: 'PATCH', path: '/x' }),
    ],
  ])('differs for %s', (_name, other) => {
    expect(other()).not.toBe(key);
  });
});
