import { basic, bearer, call, useSimulators } from './harness';

describe('rate limits and concurrency', () => {
  const sims = useSimulators();
  const read = () =>
    call(sims(), 'sendgrid', 'GET', '/v3/asm/suppressions/global/a%40example.com', {
      headers: bearer(sims().credentials.sendgridApiKey),
    });

  it('a token bucket answers 429 above the burst, with SendGrid’s headers', async () => {
    sims().setRateLimit('sendgrid', { requestsPerSecond: 0.5, burst: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await read()).status);
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    const limited = await read();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('3');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    sims().setRateLimit('sendgrid', null);
    expect((await read()).status).toBe(200);
  });

  it('records the largest number of requests in any sliding second', async () => {
    await Promise.all(Array.from({ length: 6 }, () => read()));
    expect(sims().maxObservedRatePerSecond('sendgrid')).toBe(6);
    expect(sims().maxObservedRatePerSecond('braze')).toBe(0);
    sims().clearCalls();
    expect(sims().maxObservedRatePerSecond('sendgrid')).toBe(0);
  });

  it('Mailchimp: more than 10 simultaneous requests get 429 problem+json', async () => {
    sims().setFault('mailchimp', { kind: 'slow', delayMs: 800 });
    const headers = basic('u', sims().credentials.mailchimpApiKey);
    const results = await Promise.all(
      Array.from({ length: 12 }, () => call(sims(), 'mailchimp', 'GET', '/lists/l/members/x', { headers })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    expect(statuses.filter((s) => s === 404)).toHaveLength(10);
  });
});
