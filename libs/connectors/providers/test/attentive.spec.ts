import { createProvider } from '../src';
import { contact, creds, FAST, useSimulators } from './support';

describe('Attentive adapter (against the simulator)', () => {
  const sims = useSimulators();
  const adapter = (sendSubscribes = false) =>
    createProvider({
      provider: 'attentive',
      clientId: creds.attentiveClientId,
      clientSecret: creds.attentiveClientSecret,
      baseUrl: sims().baseUrl('attentive'),
      sendSubscribes,
      ...FAST,
    });
  const phone = '+12133734253';
  const email = 'a@example.com';
  const stop = (version = 1) =>
    contact({
      externalId: 'a',
      version,
      phone,
      email,
      channels: { sms: 'unsubscribed', email: 'unsubscribed' },
    });

  it('gets a client-credentials token, then unsubscribes with the confirmation text disabled', async () => {
    const [result] = await adapter().deliver([stop()]);

    expect(result?.outcome).toEqual({ kind: 'delivered' });
    const [token, call] = sims().calls('attentive');
    expect([token?.method, token?.path]).toEqual(['POST', '/oauth/token']);
    expect(token?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect([call?.method, call?.path]).toEqual(['POST', '/v1/subscriptions/unsubscribe']);
    expect(call?.headers['authorization']).toMatch(/^Bearer \S+$/);
    expect(call?.headers['idempotency-key']).toBeDefined();
    expect(call?.body).toEqual({
      user: { phone, email },
      subscriptions: [
        { type: 'MARKETING', channel: 'TEXT' },
        { type: 'MARKETING', channel: 'EMAIL' },
      ],
      notification: { disabled: true },
    });
    expect(sims().state.attentive.subscriptions(phone)).toEqual([
      { type: 'MARKETING', channel: 'TEXT', status: 'UNSUBSCRIBED' },
    ]);
    expect(sims().state.attentive.confirmationTextsSent(phone)).toBe(0);
  });

  it('caches the token across deliveries and concurrent requests', async () => {
    const at = adapter();
    await at.deliver([
      stop(1),
      { ...stop(1), externalId: 'b', phone: '+12133734254', email: 'b@example.com' },
    ]);
    await at.deliver([stop(2)]);
    expect(sims().tokensIssued('attentive')).toBe(1);
  });

  it('refreshes the token once on 401 and delivers', async () => {
    const at = adapter();
    await at.deliver([stop(1)]);
    sims().state.attentive.expireTokens();
    const [result] = await at.deliver([stop(2)]);
    expect(result?.outcome).toEqual({ kind: 'delivered' });
    expect(sims().tokensIssued('attentive')).toBe(2);
  });

  it('forwards only opt-outs by default; subscribes when ATTENTIVE_SEND_SUBSCRIBES is on', async () => {
    const resubscribe = contact({ externalId: 'a', phone, channels: { sms: 'subscribed' } });
    const [skipped] = await adapter().deliver([resubscribe]);
    expect(skipped?.outcome.kind).toBe('not-applicable');
    expect(sims().calls('attentive')).toHaveLength(0);

    const [sent] = await adapter(true).deliver([resubscribe]);
    expect(sent?.outcome).toEqual({ kind: 'delivered' });
    const call = sims()
      .calls('attentive')
      .find((c) => c.path === '/v1/subscriptions');
    expect(call?.body).toEqual({ user: { phone }, subscriptionType: 'MARKETING' });
  });

  it('reads subscriptions back by phone and email', async () => {
    const at = adapter();
    await at.deliver([stop()]);
    await expect(at.read({ externalId: 'a', phone, email })).resolves.toEqual({
      kind: 'found',
      channels: { sms: 'unsubscribed', email: 'unsubscribed' },
    });
  });
});

describe('Attentive adapter: topics as subscription types (against the simulator)', () => {
  const sims = useSimulators();
  const adapter = () =>
    createProvider({
      provider: 'attentive',
      clientId: creds.attentiveClientId,
      clientSecret: creds.attentiveClientSecret,
      baseUrl: sims().baseUrl('attentive'),
      topicTypes: { promotions: 'MARKETING', receipts: 'TRANSACTIONAL' },
      ...FAST,
    });
  const phone = '+12133734253';

  it('a topic opt-out unsubscribes its subscription type on TEXT only', async () => {
    const [result] = await adapter().deliver([
      contact({
        externalId: 'a',
        phone,
        channels: { sms: 'subscribed' },
        topics: { sms: [{ topic: 'receipts', status: 'unsubscribed', effective: 'unsubscribed' }] },
      }),
    ]);
    expect(result?.outcome).toEqual({ kind: 'delivered' });
    const unsubscribe = sims()
      .calls('attentive')
      .find((c) => c.path === '/v1/subscriptions/unsubscribe');
    expect((unsubscribe?.body as { subscriptions: unknown }).subscriptions).toEqual([
      { type: 'TRANSACTIONAL', channel: 'TEXT' },
    ]);
  });
});
