import { decideRetry, type ProviderRetryPolicy } from './backoff';

const policy: ProviderRetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  maxServerDelayMs: 30_000,
};

describe('decideRetry', () => {
  it.each([
    ['backoff when nothing was asked', { attempts: 1, random: 0.5 }, { kind: 'retry-in', delayMs: 50 }],
    [
      'server delay later than backoff wins',
      { attempts: 1, random: 0.5, serverDelayMs: 2000 },
      { kind: 'retry-in', delayMs: 2000 },
    ],
    [
      'backoff later than server delay wins',
      { attempts: 4, random: 0.99, serverDelayMs: 10 },
      { kind: 'retry-in', delayMs: 792 },
    ],
    ['attempts exhausted', { attempts: 5, random: 0.5 }, { kind: 'give-up' }],
    [
      'attempts exhausted keeps the server delay for parking',
      { attempts: 5, random: 0.5, serverDelayMs: 900 },
      { kind: 'give-up', retryAfterMs: 900 },
    ],
    [
      'server delay too long to wait in-process',
      { attempts: 1, random: 0.5, serverDelayMs: 3_600_000 },
      { kind: 'give-up', retryAfterMs: 3_600_000 },
    ],
  ])('%s', (_name, input, expected) => {
    expect(decideRetry({ policy, ...input })).toEqual(expected);
  });
});
