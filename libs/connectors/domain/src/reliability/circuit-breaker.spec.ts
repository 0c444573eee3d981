import {
  createCircuitBreaker,
  recordFailure,
  recordSuccess,
  requestPermission,
  type CircuitBreaker,
  type CircuitBreakerConfig,
} from './circuit-breaker';

type Step = ['ask', number, boolean] | ['fail', number] | ['ok', number];

/** Runs steps and returns the status after each one; 'ask' steps also check the permission. */
function run(cfg: CircuitBreakerConfig, steps: readonly Step[]): string[] {
  let cb: CircuitBreaker = createCircuitBreaker(0);
  return steps.map((step) => {
    if (step[0] === 'ask') {
      const permission = requestPermission(cb, cfg, step[1]);
      expect({ at: step[1], allowed: permission.allowed }).toEqual({ at: step[1], allowed: step[2] });
      cb = permission.state;
    } else cb = step[0] === 'fail' ? recordFailure(cb, cfg, step[1]) : recordSuccess(cb, cfg, step[1]);
    return cb.status;
  });
}

const cfg: CircuitBreakerConfig = { failureThreshold: 3, coolDownMs: 1000 };

describe('circuit breaker', () => {
  it.each<[string, CircuitBreakerConfig, Step[], string[]]>([
    [
      'opens after N consecutive failures',
      cfg,
      [
        ['fail', 1],
        ['fail', 2],
        ['fail', 3],
        ['ask', 4, false],
      ],
      ['closed', 'closed', 'open', 'open'],
    ],
    [
      'a success resets the consecutive count',
      cfg,
      [
        ['fail', 1],
        ['fail', 2],
        ['ok', 3],
        ['fail', 4],
        ['fail', 5],
        ['ask', 6, true],
      ],
      ['closed', 'closed', 'closed', 'closed', 'closed', 'closed'],
    ],
    [
      'half-open after the cool-down lets exactly one probe through',
      cfg,
      [
        ['fail', 0],
        ['fail', 0],
        ['fail', 0],
        ['ask', 999, false],
        ['ask', 1000, true],
        ['ask', 1001, false],
      ],
      ['closed', 'closed', 'open', 'open', 'half-open', 'half-open'],
    ],
    [
      'a successful probe closes it',
      cfg,
      [
        ['fail', 0],
        ['fail', 0],
        ['fail', 0],
        ['ask', 1000, true],
        ['ok', 1100],
        ['ask', 1101, true],
      ],
      ['closed', 'closed', 'open', 'half-open', 'closed', 'closed'],
    ],
    [
      'a failed probe re-opens it for another cool-down',
      cfg,
      [
        ['fail', 0],
        ['fail', 0],
        ['fail', 0],
        ['ask', 1000, true],
        ['fail', 1100],
        ['ask', 2000, false],
        ['ask', 2100, true],
      ],
      ['closed', 'closed', 'open', 'half-open', 'open', 'open', 'half-open'],
    ],
    [
      'late success of a request sent before opening does not close it',
      cfg,
      [
        ['fail', 0],
        ['fail', 0],
        ['fail', 0],
        ['ok', 10],
        ['ask', 20, false],
      ],
      ['closed', 'closed', 'open', 'open', 'open'],
    ],
    [
      'failure ratio in the window opens it without N consecutive failures',
      {
        failureThreshold: 100,
        coolDownMs: 1000,
        failureRatio: 0.5,
        windowMs: 10_000,
        minRequestsInWindow: 4,
      },
      [
        ['fail', 1],
        ['ok', 2],
        ['fail', 3],
        ['ok', 4],
        ['fail', 5],
      ],
      ['closed', 'closed', 'closed', 'closed', 'open'],
    ],
    [
      'the ratio window starts afresh after windowMs',
      { failureThreshold: 100, coolDownMs: 1000, failureRatio: 0.5, windowMs: 1000, minRequestsInWindow: 5 },
      [
        ['fail', 1],
        ['fail', 2],
        ['ok', 3],
        ['ok', 1500],
        ['fail', 1600],
        ['ok', 1700],
        ['fail', 1800],
      ],
      ['closed', 'closed', 'closed', 'closed', 'closed', 'closed', 'closed'],
    ],
  ])('%s', (_name, config, steps, expected) => {
    expect(run(config, steps)).toEqual(expected);
  });
});
