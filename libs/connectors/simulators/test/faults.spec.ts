import { waitFor } from '@optstream/testing';
import { startProviderSimulators } from '../src';
import { basic, bearer, call, useSimulators } from './harness';

describe('fault injection', () => {
  const sims = useSimulators();
  const sendgrid = () =>
    call(sims(), 'sendgrid', 'POST', '/v3/asm/suppressions/global', {
      body: { recipient_emails: ['a@example.com'] },
      headers: bearer(sims().credentials.sendgridApiKey),
    });
  const brazeTrack = (body: unknown) =>
    call(sims(), 'braze', 'POST', '/users/track', { body, headers: bearer(sims().credentials.brazeApiKey) });

  it('rate-limit: each provider’s own 429 (SendGrid headers + body, Braze headers, OneSignal/Attentive Retry-After, Mailchimp none)', async () => {
    sims().setFault('sendgrid', { kind: 'rate-limit', retryAfterSeconds: 7, times: 1 });
    const limited = await sendgrid();
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ errors: [{ field: null, message: 'too many requests' }] });
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    const reset = Number(limited.headers.get('x-ratelimit-reset'));
    expect(reset - Date.now() / 1000).toBeGreaterThan(5);
    expect((await sendgrid()).status).toBe(201); // times: 1 consumed

    sims().setFault('braze', { kind: 'rate-limit', retryAfterSeconds: 3 });
    const braze = await brazeTrack({ attributes: [{ external_id: 'u' }] });
    expect(braze.status).toBe(429);
    expect(braze.headers.get('x-ratelimit-limit')).not.toBeNull();
    expect(braze.headers.get('x-ratelimit-reset')).not.toBeNull();

    sims().setFault('onesignal', { kind: 'rate-limit', retryAfterSeconds: 4 });
    const onesignal = await call(
      sims(),
      'onesignal',
      'GET',
      `/apps/${sims().credentials.onesignalAppId}/users/by/external_id/u`,
      {
        headers: { authorization: `Key ${sims().credentials.onesignalApiKey}` },
      },
    );
    expect(onesignal.status).toBe(429);
    expect(onesignal.headers.get('retry-after')).toBe('4');

    sims().setFault('mailchimp', { kind: 'rate-limit', retryAfterSeconds: 4 });
    const mailchimp = await call(sims(), 'mailchimp', 'GET', '/lists/l/members/x', {
      headers: basic('u', sims().credentials.mailchimpApiKey),
    });
    expect(mailchimp.status).toBe(429);
    expect(mailchimp.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(mailchimp.headers.get('retry-after')).toBeNull();
    expect(mailchimp.headers.get('x-ratelimit-limit')).toBeNull();

    sims().setFault('attentive', { kind: 'rate-limit', retryAfterSeconds: 2 });
    // Faults apply to every request of a provider, the token endpoint included.
    const attentive = await call(sims(), 'attentive', 'POST', '/oauth/token', {
      raw: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(attentive.status).toBe(429);
    expect(attentive.headers.get('retry-after')).toBe('2');
  });

  it('server-error: the given 5xx for `times` requests, then clears; nothing is applied meanwhile', async () => {
    sims().setFault('sendgrid', { kind: 'server-error', status: 503, times: 2 });
    expect((await sendgrid()).status).toBe(503);
    expect((await sendgrid()).status).toBe(503);
    expect(sims().state.sendgrid.isGloballySuppressed('a@example.com')).toBe(false);
    expect((await sendgrid()).status).toBe(201);
    sims().setFault('sendgrid', { kind: 'server-error' });
    expect((await sendgrid()).status).toBe(500);
    expect((await sendgrid()).status).toBe(500);
    sims().setFault('sendgrid', null);
    expect((await sendgrid()).status).toBe(201);
  });

  it('down: the socket is destroyed without an answer', async () => {
    sims().setFault('sendgrid', { kind: 'down' });
    await expect(sendgrid()).rejects.toThrow();
    expect(sims().calls('sendgrid')[0]?.status).toBe(0);
  });

  it('slow: answers after the delay', async () => {
    sims().setFault('sendgrid', { kind: 'slow', delayMs: 300, times: 1 });
    const started = Date.now();
    expect((await sendgrid()).status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('timeout: never answers, so the client gives up', async () => {
    sims().setFault('sendgrid', { kind: 'timeout', times: 1 });
    await expect(
      call(sims(), 'sendgrid', 'GET', '/v3/asm/suppressions/global/a%40example.com', {
        headers: bearer(sims().credentials.sendgridApiKey),
        signal: AbortSignal.timeout(250),
      }),
    ).rejects.toThrow();
    expect((await sendgrid()).status).toBe(201);
  });

  it('reject: a poison contact gets the 4xx, others go through; Braze batches report it per object', async () => {
    sims().setFault('sendgrid', { kind: 'reject', status: 400, forEmails: ['POISON@example.com'] });
    const poisoned = await call(sims(), 'sendgrid', 'POST', '/v3/asm/suppressions/global', {
      body: { recipient_emails: ['poison@example.com'] },
      headers: bearer(sims().credentials.sendgridApiKey),
    });
    expect(poisoned).toMatchObject({ status: 400, body: { errors: [expect.any(Object)] } });
    expect((await sendgrid()).status).toBe(201);

    sims().setFault('braze', { kind: 'reject', status: 400, forExternalIds: ['bad'] });
    const mixed = await brazeTrack({ attributes: [{ external_id: 'good' }, { external_id: 'bad' }] });
    expect(mixed).toMatchObject({
      status: 201,
      body: {
        message: 'success',
        attributes_processed: 1,
        errors: [{ input_array: 'attributes', index: 1 }],
      },
    });
    expect(sims().state.braze.user('bad')).toBeUndefined();
    expect((await brazeTrack({ attributes: [{ external_id: 'bad' }] })).status).toBe(400);

    sims().setFault('onesignal', { kind: 'reject', status: 404, forExternalIds: ['gone'] });
    sims().state.onesignal.seedUser('gone', []);
    const user = await call(
      sims(),
      'onesignal',
      'GET',
      `/apps/${sims().credentials.onesignalAppId}/users/by/external_id/gone`,
      {
        headers: { authorization: `Key ${sims().credentials.onesignalApiKey}` },
      },
    );
    expect(user.status).toBe(404);
  });
});

describe('closing with held requests', () => {
  it('close() ends a request held by a timeout fault at once', async () => {
    const sims = await startProviderSimulators({ port: 0 });
    sims.setFault('braze', { kind: 'timeout' });
    const pending = call(sims, 'braze', 'POST', '/users/track', {
      body: { attributes: [{ external_id: 'u' }] },
      headers: bearer(sims.credentials.brazeApiKey),
    });
    await waitFor(() => sims.calls('braze').length === 1, { timeoutMs: 5000, intervalMs: 10 });
    const started = Date.now();
    await sims.close();
    await expect(pending).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
