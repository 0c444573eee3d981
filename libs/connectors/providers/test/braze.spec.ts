import { createProvider } from '../src';
import { contact, creds, FAST, useSimulators } from './support';

describe('Braze adapter (against the simulator)', () => {
  const sims = useSimulators();
  const adapter = () =>
    createProvider({
      provider: 'braze',
      apiKey: creds.brazeApiKey,
      baseUrl: sims().baseUrl('braze'),
      smsSubscriptionGroupId: 'sms-group-1',
      ...FAST,
    });

  it('sends one /users/track with an attributes object per contact, Bearer auth, keyed by external_id', async () => {
    const batch = [
      contact({
        externalId: 'a',
        channels: { email: 'subscribed', push: 'unsubscribed', sms: 'unsubscribed' },
      }),
      contact({ externalId: 'b', channels: { push: 'subscribed' } }),
      contact({ externalId: 'c' }),
    ];
    const results = await adapter().deliver(batch);

    expect(results.map((r) => r.outcome.kind)).toEqual(['delivered', 'delivered', 'not-applicable']);
    const calls = sims().calls('braze');
    expect(calls.map((c) => [c.method, c.path])).toEqual([['POST', '/users/track']]);
    expect(calls[0]?.headers['authorization']).toBe(`Bearer ${creds.brazeApiKey}`);
    expect(calls[0]?.headers['idempotency-key']).toBeDefined();
    expect(calls[0]?.body).toEqual({
      attributes: [
        {
          external_id: 'a',
          email_subscribe: 'opted_in',
          push_subscribe: 'unsubscribed',
          subscription_groups: [{ subscription_group_id: 'sms-group-1', subscription_state: 'unsubscribed' }],
        },
        { external_id: 'b', push_subscribe: 'opted_in' },
      ],
    });
    expect(sims().state.braze.user('a')).toMatchObject({
      email_subscribe: 'opted_in',
      push_subscribe: 'unsubscribed',
      subscription_groups: { 'sms-group-1': 'unsubscribed' },
    });
  });

  it('splits more than 75 contacts into several requests', async () => {
    const batch = Array.from({ length: 80 }, (_, i) =>
      contact({ externalId: `c${i}`, channels: { email: 'unsubscribed' } }),
    );
    const results = await adapter().deliver(batch);
    expect(results.every((r) => r.outcome.kind === 'delivered')).toBe(true);
    expect(
      sims()
        .calls('braze')
        .map((c) => (c.body as { attributes: unknown[] }).attributes.length)
        .sort(),
    ).toEqual([5, 75]);
  });

  it('a poison contact is rejected (partial success by index), the others delivered', async () => {
    sims().setFault('braze', { kind: 'reject', status: 400, forExternalIds: ['bad'] });
    const batch = ['ok1', 'bad', 'ok2'].map((externalId) =>
      contact({ externalId, channels: { email: 'unsubscribed' } }),
    );
    const results = await adapter().deliver(batch);
    expect(results.map((r) => [r.externalId, r.outcome.kind])).toEqual([
      ['ok1', 'delivered'],
      ['bad', 'rejected'],
      ['ok2', 'delivered'],
    ]);
    expect(sims().state.braze.user('ok2')?.email_subscribe).toBe('unsubscribed');
  });

  it('reads a user back through /users/export/ids', async () => {
    const bz = adapter();
    await bz.deliver([contact({ externalId: 'a', channels: { email: 'subscribed', sms: 'unsubscribed' } })]);
    await expect(bz.read({ externalId: 'a' })).resolves.toEqual({
      kind: 'found',
      channels: { email: 'subscribed', sms: 'unsubscribed' },
    });
    await expect(bz.read({ externalId: 'nobody' })).resolves.toEqual({ kind: 'not-found' });
    expect(sims().calls('braze').at(-1)?.path).toBe('/users/export/ids');
  });
});

describe('Braze adapter: topics as subscription groups (against the simulator)', () => {
  const sims = useSimulators();
  const adapter = () =>
    createProvider({
      provider: 'braze',
      apiKey: creds.brazeApiKey,
      baseUrl: sims().baseUrl('braze'),
      topicGroups: { newsletter: 'newsletter-group', promotions: 'promotions-group' },
      ...FAST,
    });

  it('an email group resubscribe during a global unsubscribe is written to the group, the global state stays', async () => {
    const [result] = await adapter().deliver([
      contact({
        externalId: 'j',
        channels: { email: 'unsubscribed' },
        topics: { email: [{ topic: 'newsletter', status: 'subscribed', effective: 'unsubscribed' }] },
      }),
    ]);
    expect(result?.outcome).toEqual({ kind: 'delivered' });
    expect(sims().state.braze.user('j')).toMatchObject({
      email_subscribe: 'unsubscribed',
      subscription_groups: { 'newsletter-group': 'subscribed' },
    });
    expect(sims().state.braze.receivesEmail('j', 'newsletter-group')).toBe(false);
  });

  it('an SMS topic is written from its effective status (Braze has no global SMS state)', async () => {
    await adapter().deliver([
      contact({
        externalId: 's',
        channels: { sms: 'unsubscribed' },
        topics: { sms: [{ topic: 'promotions', status: 'subscribed', effective: 'unsubscribed' }] },
      }),
    ]);
    expect(sims().state.braze.user('s')?.subscription_groups).toEqual({ 'promotions-group': 'unsubscribed' });
  });
});
