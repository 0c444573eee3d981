import type { RequestOutcome } from './classify';
import { combineOutcomes } from './combine';

const ok: RequestOutcome = { kind: 'delivered' };
const retry = (reason: string, retryAfterMs?: number): RequestOutcome =>
  retryAfterMs === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, retryAfterMs };
const rejected: RequestOutcome = { kind: 'rejected', reason: 'rejected by provider (400)', status: 400 };

describe('combineOutcomes', () => {
  it.each<[string, RequestOutcome[], unknown]>([
    ['all delivered', [ok, ok], { kind: 'delivered' }],
    ['any rejected wins', [ok, retry('timeout'), rejected], rejected],
    ['a retry beats delivered', [ok, retry('timeout')], { kind: 'retry', reason: 'timeout' }],
    [
      'retries keep the longest wait and every distinct reason',
      [retry('rate limited (429)', 1000), retry('rate limited (429)', 3000), retry('timeout')],
      { kind: 'retry', reason: 'rate limited (429); timeout', retryAfterMs: 3000 },
    ],
  ])('%s', (_name, outcomes, expected) => {
    expect(combineOutcomes(outcomes)).toEqual(expected);
  });
});
