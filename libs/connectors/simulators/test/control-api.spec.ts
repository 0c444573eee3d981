import { SimulatorClient } from '../src';
import { bearer, call, useSimulators } from './harness';

describe('control API via SimulatorClient', () => {
  const sims = useSimulators();
  const client = () => new SimulatorClient(sims().url);

  it('health, config, calls, stats, faults, rate limits and reset round-trip over HTTP', async () => {
    await expect(client().health()).resolves.toEqual({ ok: true });
    const config = await client().config();
    expect(config.baseUrls.mailchimp).toBe(`${sims().url}/mailchimp/3.0`);
    expect(client().baseUrl('braze')).toBe(sims().baseUrl('braze'));

    await client().setFault('sendgrid', { kind: 'server-error', status: 502, times: 1 });
    const headers = bearer(config.credentials.sendgridApiKey);
    const body = { recipient_emails: ['a@example.com'] };
    expect(
      (await call(sims(), 'sendgrid', 'POST', '/v3/asm/suppressions/global', { body, headers })).status,
    ).toBe(502);
    expect(
      (await call(sims(), 'sendgrid', 'POST', '/v3/asm/suppressions/global', { body, headers })).status,
    ).toBe(201);
    const calls = await client().calls('sendgrid');
    expect(calls.map((c) => c.status)).toEqual([502, 201]);
    await expect(client().stats('sendgrid')).resolves.toEqual({
      calls: 2,
      effects: 1,
      maxObservedRatePerSecond: 2,
      tokensIssued: 0,
    });
    await expect(client().isGloballySuppressed('A@example.com')).resolves.toBe(true);

    await client().setRateLimit('sendgrid', { requestsPerSecond: 1, burst: 1 });
    await call(sims(), 'sendgrid', 'POST', '/v3/asm/suppressions/global', { body, headers });
    expect(
      (await call(sims(), 'sendgrid', 'POST', '/v3/asm/suppressions/global', { body, headers })).status,
    ).toBe(429);
    await client().setRateLimit('sendgrid', null);
    await client().clearCalls();
    await expect(client().calls()).resolves.toEqual([]);
    await client().setFault('sendgrid', { kind: 'down' });
    await client().setFault('sendgrid', null);
    expect(
      (await call(sims(), 'sendgrid', 'POST', '/v3/asm/suppressions/global', { body, headers })).status,
    ).toBe(201);

    await client().reset();
    await expect(client().isGloballySuppressed('a@example.com')).resolves.toBe(false);
    await expect(client().calls()).resolves.toEqual([]);
  });

  it('seeds and reads provider state', async () => {
    const user = await client().seedOnesignalUser('u-1', [{ type: 'AndroidPush', token: 'fcm' }]);
    expect(user.identity.external_id).toBe('u-1');
    await expect(client().onesignalUser('u-1')).resolves.toMatchObject({
      subscriptions: [{ token: 'fcm', enabled: true }],
    });
    await expect(client().onesignalUser('nobody')).resolves.toBeUndefined();

    await client().addSendgridGroup(7, 'Promotions');
    expect(sims().state.sendgrid.hasGroup(7)).toBe(true);
    sims().state.sendgrid.suppressInGroup(7, ['x@example.com']);
    await expect(client().sendgridGroupSuppressions(7)).resolves.toEqual(['x@example.com']);

    sims().state.braze.update({ external_id: 'b-1' }, (u) => {
      u.email_subscribe = 'unsubscribed';
    });
    await expect(client().brazeUser('b-1')).resolves.toMatchObject({ email_subscribe: 'unsubscribed' });
    sims().state.mailchimp.write('l1', 'm@example.com', { status: 'unsubscribed' }, Date.now());
    await expect(client().mailchimpMember('l1', 'M@example.com')).resolves.toMatchObject({
      status: 'unsubscribed',
    });
    sims().state.attentive.set('+14155550123', {
      type: 'MARKETING',
      channel: 'TEXT',
      status: 'UNSUBSCRIBED',
    });
    await expect(client().attentiveSubscriptions('+14155550123')).resolves.toEqual([
      { type: 'MARKETING', channel: 'TEXT', status: 'UNSUBSCRIBED' },
    ]);
  });

  it('refuses an invalid fault or an unknown provider', async () => {
    await expect(client().setFault('sendgrid', { kind: 'server-error', status: 404 })).rejects.toThrow(/400/);
    const response = await fetch(`${sims().url}/_sim/faults/twitter`, { method: 'DELETE' });
    expect(response.status).toBe(404);
  });
});
