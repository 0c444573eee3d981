import type { ProviderSimulators } from '../src';
import { bearer, call, useSimulators } from './harness';

const PHONE = '+14155550123';
const EMAIL = 'jane@example.com';

async function token(sims: ProviderSimulators): Promise<string> {
  const response = await fetch(`${sims.baseUrl('attentive')}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sims.credentials.attentiveClientId,
      client_secret: sims.credentials.attentiveClientSecret,
    }).toString(),
  });
  const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
  expect(response.status).toBe(200);
  expect(body).toEqual({
    access_token: expect.any(String),
    token_type: 'Bearer',
    expires_in: 3600,
    scope: expect.any(String),
  });
  return body.access_token;
}

describe('Attentive simulator', () => {
  const sims = useSimulators();

  it('issues client-credentials tokens and counts them; refuses wrong client credentials', async () => {
    await token(sims());
    await token(sims());
    expect(sims().tokensIssued('attentive')).toBe(2);
    const bad = await fetch(`${sims().baseUrl('attentive')}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=x&client_secret=y',
    });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: 'invalid_client' });
    expect(sims().tokensIssued('attentive')).toBe(2);
  });

  it('subscribe, then unsubscribe: NEWLY_ then PREVIOUSLY_UNSUBSCRIBED; a TEXT opt-out texts a confirmation', async () => {
    const headers = bearer(await token(sims()));
    const subscribed = await call(sims(), 'attentive', 'POST', '/v1/subscriptions', {
      body: { user: { phone: PHONE, email: EMAIL }, signUpSourceId: '123' },
      headers,
    });
    expect(subscribed.status).toBe(202);
    expect(sims().state.attentive.subscriptions(PHONE)).toEqual([
      { type: 'MARKETING', channel: 'TEXT', status: 'SUBSCRIBED' },
    ]);
    const body = { user: { phone: PHONE }, subscriptions: [{ type: 'MARKETING', channel: 'TEXT' }] };
    const first = await call(sims(), 'attentive', 'POST', '/v1/subscriptions/unsubscribe', { body, headers });
    expect(first).toMatchObject({
      status: 202,
      body: {
        user: { phone: PHONE },
        subscriptionResponses: [
          {
            subscription: { type: 'MARKETING', channel: 'TEXT' },
            subscriptionUnsubscribeStatus: 'NEWLY_UNSUBSCRIBED',
          },
        ],
      },
    });
    const second = await call(sims(), 'attentive', 'POST', '/v1/subscriptions/unsubscribe', {
      body,
      headers,
    });
    expect(second.body).toMatchObject({
      subscriptionResponses: [{ subscriptionUnsubscribeStatus: 'PREVIOUSLY_UNSUBSCRIBED' }],
    });
    expect(sims().state.attentive.confirmationTextsSent(PHONE)).toBe(1);
    // Email subscriptions are untouched by a phone-only unsubscribe.
    expect(sims().state.attentive.subscriptions(EMAIL)).toEqual([
      { type: 'MARKETING', channel: 'EMAIL', status: 'SUBSCRIBED' },
    ]);
    const read = await call(
      sims(),
      'attentive',
      'GET',
      `/v1/subscriptions?email=${encodeURIComponent(EMAIL)}`,
      { headers },
    );
    expect(read.body).toMatchObject({ subscriptions: [{ channel: 'EMAIL', status: 'SUBSCRIBED' }] });
  });

  it('without `subscriptions` unsubscribes all of the person’s; notification.disabled sends no text', async () => {
    const headers = bearer(await token(sims()));
    sims().state.attentive.set(PHONE, { type: 'MARKETING', channel: 'TEXT', status: 'SUBSCRIBED' });
    sims().state.attentive.set(EMAIL, { type: 'MARKETING', channel: 'EMAIL', status: 'SUBSCRIBED' });
    const response = await call(sims(), 'attentive', 'POST', '/v1/subscriptions/unsubscribe', {
      body: { user: { phone: PHONE, email: EMAIL }, notification: { disabled: true } },
      headers,
    });
    expect(response.body).toMatchObject({
      subscriptionResponses: [
        { subscription: { channel: 'TEXT' }, subscriptionUnsubscribeStatus: 'NEWLY_UNSUBSCRIBED' },
        { subscription: { channel: 'EMAIL' }, subscriptionUnsubscribeStatus: 'NEWLY_UNSUBSCRIBED' },
      ],
    });
    expect(sims().state.attentive.confirmationTextsSent(PHONE)).toBe(0);
  });

  it('refuses a missing, unknown or expired token with 401 and malformed bodies with 400', async () => {
    const body = { user: { phone: PHONE } };
    expect((await call(sims(), 'attentive', 'POST', '/v1/subscriptions/unsubscribe', { body })).status).toBe(
      401,
    );
    expect(
      (
        await call(sims(), 'attentive', 'POST', '/v1/subscriptions/unsubscribe', {
          body,
          headers: bearer('x'),
        })
      ).status,
    ).toBe(401);
    const headers = bearer(await token(sims()));
    for (const bad of [
      { user: {} },
      { user: { phone: '4155550123' } },
      { user: { email: EMAIL }, subscriptions: [{ type: 'MARKETING', channel: 'TEXT' }] },
    ]) {
      const response = await call(sims(), 'attentive', 'POST', '/v1/subscriptions/unsubscribe', {
        body: bad,
        headers,
      });
      expect(response).toMatchObject({ status: 400, body: { message: expect.any(String) } });
    }
    sims().state.attentive.expireTokens();
    expect(
      (await call(sims(), 'attentive', 'POST', '/v1/subscriptions/unsubscribe', { body, headers })).status,
    ).toBe(401);
  });
});
