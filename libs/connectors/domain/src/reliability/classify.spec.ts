import { classifyAttempt, isProviderFailure, type AttemptResult } from './classify';

describe('classifyAttempt', () => {
  it.each<[AttemptResult, unknown]>([
    [{ kind: 'response', status: 200 }, { kind: 'delivered' }],
    [{ kind: 'response', status: 201 }, { kind: 'delivered' }],
    [{ kind: 'response', status: 202 }, { kind: 'delivered' }],
    [{ kind: 'response', status: 204 }, { kind: 'delivered' }],
    [
      { kind: 'response', status: 429 },
      { kind: 'retry', reason: 'rate limited (429)' },
    ],
    [
      { kind: 'response', status: 500 },
      { kind: 'retry', reason: 'server error (500)' },
    ],
    [
      { kind: 'response', status: 502 },
      { kind: 'retry', reason: 'server error (502)' },
    ],
    [
      { kind: 'response', status: 503 },
      { kind: 'retry', reason: 'server error (503)' },
    ],
    [
      { kind: 'response', status: 408 },
      { kind: 'retry', reason: 'request timeout (408)' },
    ],
    [
      { kind: 'response', status: 401 },
      { kind: 'retry', reason: 'credentials rejected (401)' },
    ],
    [
      { kind: 'response', status: 403 },
      { kind: 'retry', reason: 'credentials rejected (403)' },
    ],
    [
      { kind: 'response', status: 400 },
      { kind: 'rejected', reason: 'rejected by provider (400)', status: 400 },
    ],
    [
      { kind: 'response', status: 404 },
      { kind: 'rejected', reason: 'rejected by provider (404)', status: 404 },
    ],
    [
      { kind: 'response', status: 422 },
      { kind: 'rejected', reason: 'rejected by provider (422)', status: 422 },
    ],
    [
      { kind: 'network-error', code: 'timeout' },
      { kind: 'retry', reason: 'timeout' },
    ],
    [
      { kind: 'network-error', code: 'connection-refused' },
      { kind: 'retry', reason: 'connection refused' },
    ],
    [
      { kind: 'network-error', code: 'connection-reset' },
      { kind: 'retry', reason: 'connection reset' },
    ],
    [
      { kind: 'network-error', code: 'network-error' },
      { kind: 'retry', reason: 'network error' },
    ],
    [{ kind: 'circuit-open' }, { kind: 'retry', reason: 'circuit open' }],
  ])('%j → %j', (attempt, expected) => {
    expect(classifyAttempt(attempt)).toEqual(expected);
  });
});

describe('isProviderFailure (feeds the circuit breaker)', () => {
  it.each<[AttemptResult, boolean]>([
    [{ kind: 'response', status: 200 }, false],
    [{ kind: 'response', status: 400 }, false],
    [{ kind: 'response', status: 429 }, false],
    [{ kind: 'response', status: 401 }, true],
    [{ kind: 'response', status: 403 }, true],
    [{ kind: 'response', status: 500 }, true],
    [{ kind: 'network-error', code: 'timeout' }, true],
    [{ kind: 'network-error', code: 'connection-refused' }, true],
    [{ kind: 'circuit-open' }, false],
  ])('%j → %s', (attempt, expected) => {
    expect(isProviderFailure(attempt)).toBe(expected);
  });
});
