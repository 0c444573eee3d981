import { createProvider } from '../src';
import { contact, creds, FAST, useSimulators } from './support';

describe('OneSignal adapter (against the simulator)', () => {
  const sims = useSimulators();
  const adapter = (perUserWriteIntervalMs = 0) =>
    createProvider({
      provider: 'onesignal',
      appId: creds.onesignalAppId,
      apiKey: creds.onesignalApiKey,
      baseUrl: sims().baseUrl('onesignal'),
      perUserWriteIntervalMs,
      ...FAST,
    });
  const app = creds.onesignalAppId;

  const seed = () =>
    sims().state.onesignal.seedUser('a', [
      { type: 'iOSPush', token: 'ios-token' },
      { type: 'ChromePush', token: 'chrome-token', enabled: false },
      { type: 'Email', token: 'a@example.com' },
    ]);

  it('looks the user up, then PATCHes only the subscriptions that differ', async () => {
    const user = seed();
    const [result] = await adapter().deliver([
      contact({ externalId: 'a', channels: { push: 'unsubscribed', email: 'subscribed' } }),
    ]);

    expect(result?.outcome).toEqual({ kind: 'delivered' });
    const ios = user.subscriptions.find((s) => s.type === 'iOSPush');
    const calls = sims().calls('onesignal');
    expect(calls.map((c) => [c.method, c.path, c.body])).toEqual([
      ['GET', `/apps/${app}/users/by/external_id/a`, undefined],
      ['PATCH', `/apps/${app}/subscriptions/${ios?.id}`, { subscription: { enabled: false } }],
    ]);
    for (const call of calls) expect(call.headers['authorization']).toBe(`Key ${creds.onesignalApiKey}`);
    expect(calls[0]?.headers['idempotency-key']).toBeUndefined();
    expect(calls[1]?.headers['idempotency-key']).toBeDefined();
    expect(
      sims()
        .state.onesignal.user('a')
        ?.subscriptions.map((s) => [s.type, s.enabled]),
    ).toEqual([
      ['iOSPush', false],
      ['ChromePush', false],
      ['Email', true],
    ]);
  });

  it('a person without a OneSignal user is not-applicable', async () => {
    const [result] = await adapter().deliver([
      contact({ externalId: 'ghost', channels: { push: 'unsubscribed' } }),
    ]);
    expect(result?.outcome).toEqual({
      kind: 'not-applicable',
      reason: 'no OneSignal user for this external id',
    });
  });

  it('spaces writes for one user (1 write/s per user, configurable)', async () => {
    seed();
    await adapter(150).deliver([
      contact({ externalId: 'a', channels: { push: 'subscribed', email: 'unsubscribed' } }),
    ]);
    const patches = sims()
      .calls('onesignal')
      .filter((c) => c.method === 'PATCH');
    expect(patches).toHaveLength(2);
    expect((patches[1]?.at ?? 0) - (patches[0]?.at ?? 0)).toBeGreaterThanOrEqual(140);
  });

  it('reads the subscriptions back as channels', async () => {
    seed();
    await expect(adapter().read({ externalId: 'a' })).resolves.toEqual({
      kind: 'found',
      channels: { push: 'subscribed', email: 'subscribed' },
    });
    await expect(adapter().read({ externalId: 'ghost' })).resolves.toEqual({ kind: 'not-found' });
  });
});

describe('OneSignal adapter: topics as data tags (against the simulator)', () => {
  const sims = useSimulators();
  const adapter = () =>
    createProvider({
      provider: 'onesignal',
      appId: creds.onesignalAppId,
      apiKey: creds.onesignalApiKey,
      baseUrl: sims().baseUrl('onesignal'),
      perUserWriteIntervalMs: 0,
      topicTags: { 'product-updates': 'topic_product_updates' },
      ...FAST,
    });
  const withTopic = (
    version: number,
    status: 'subscribed' | 'unsubscribed',
    effective: 'subscribed' | 'unsubscribed',
  ) =>
    contact({
      externalId: 't',
      version,
      topics: { push: [{ topic: 'product-updates', status, effective }] },
    });

  it('sets the tag while the topic is in, removes it when out, and never lifts a push opt-out', async () => {
    sims().state.onesignal.seedUser('t', [{ type: 'iOSPush', token: 'ios-t' }]);
    const os = adapter();
    expect((await os.deliver([withTopic(1, 'subscribed', 'subscribed')]))[0]?.outcome).toEqual({
      kind: 'delivered',
    });
    expect(sims().state.onesignal.user('t')?.properties['tags']).toEqual({ topic_product_updates: '1' });

    await os.deliver([withTopic(2, 'unsubscribed', 'unsubscribed')]);
    expect(sims().state.onesignal.user('t')?.properties['tags']).toEqual({});

    // A topic resubscribe during a channel-wide push opt-out: effective stays unsubscribed, no tag.
    await os.deliver([{ ...withTopic(3, 'subscribed', 'unsubscribed'), channels: { push: 'unsubscribed' } }]);
    expect(sims().state.onesignal.user('t')?.properties['tags']).toEqual({});
    const tagWrites = sims()
      .calls('onesignal')
      .filter((c) => c.method === 'PATCH' && c.path.includes('/users/by/external_id/'));
    expect(tagWrites.map((c) => c.body)).toEqual([
      { properties: { tags: { topic_product_updates: '1' } } },
      { properties: { tags: { topic_product_updates: '' } } },
    ]);
  });
});
