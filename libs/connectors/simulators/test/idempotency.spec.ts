import { bearer, call, useSimulators } from './harness';

describe('Idempotency-Key', () => {
  const sims = useSimulators();

  it('replays the first 2xx answer without applying the effect again', async () => {
    const headers = { ...bearer(sims().credentials.brazeApiKey), 'Idempotency-Key': 'k-1' };
    const body = { attributes: [{ external_id: 'u-1', email_subscribe: 'unsubscribed' }] };
    const first = await call(sims(), 'braze', 'POST', '/users/track', { body, headers });
    const again = await call(sims(), 'braze', 'POST', '/users/track', { body, headers });
    expect(again.status).toBe(first.status);
    expect(again.body).toEqual(first.body);
    expect(sims().effects('braze')).toBe(1);
    await call(sims(), 'braze', 'POST', '/users/track', {
      body,
      headers: { ...headers, 'Idempotency-Key': 'k-2' },
    });
    expect(sims().effects('braze')).toBe(2);
    expect(sims().calls('braze')).toHaveLength(3);
  });

  it('does not remember failed answers: a retry after a 5xx applies the effect once', async () => {
    const headers = { ...bearer(sims().credentials.sendgridApiKey), 'Idempotency-Key': 'k-3' };
    const body = { recipient_emails: ['a@example.com'] };
    sims().setFault('sendgrid', { kind: 'server-error', times: 1 });
    expect(
      (await call(sims(), 'sendgrid', 'POST', '/v3/asm/suppressions/global', { body, headers })).status,
    ).toBe(500);
    expect(sims().effects('sendgrid')).toBe(0);
    expect(
      (await call(sims(), 'sendgrid', 'POST', '/v3/asm/suppressions/global', { body, headers })).status,
    ).toBe(201);
    expect(
      (await call(sims(), 'sendgrid', 'POST', '/v3/asm/suppressions/global', { body, headers })).status,
    ).toBe(201);
    expect(sims().effects('sendgrid')).toBe(1);
  });

  it('without the header every request applies its effect', async () => {
    const headers = bearer(sims().credentials.sendgridApiKey);
    const body = { recipient_emails: ['a@example.com'] };
    await call(sims(), 'sendgrid', 'POST', '/v3/asm/suppressions/global', { body, headers });
    await call(sims(), 'sendgrid', 'POST', '/v3/asm/suppressions/global', { body, headers });
    expect(sims().effects('sendgrid')).toBe(2);
  });
});
