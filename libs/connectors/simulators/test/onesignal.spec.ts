import { call, useSimulators } from './harness';

describe('OneSignal simulator', () => {
  const sims = useSimulators();
  const auth = () => ({ authorization: `Key ${sims().credentials.onesignalApiKey}` });
  const app = () => `/apps/${sims().credentials.onesignalAppId}`;

  it('looks a seeded user up by external id and disables a subscription (202, notification_types -2)', async () => {
    const seeded = sims().state.onesignal.seedUser('u-1', [
      { type: 'iOSPush', token: 'apns-token' },
      { type: 'SMS', token: '+14155550123' },
    ]);
    const found = await call(sims(), 'onesignal', 'GET', `${app()}/users/by/external_id/u-1`, {
      headers: auth(),
    });
    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      properties: expect.any(Object),
      identity: { external_id: 'u-1', onesignal_id: seeded.identity.onesignal_id },
      subscriptions: [
        {
          id: expect.any(String),
          type: 'iOSPush',
          token: 'apns-token',
          enabled: true,
          notification_types: 1,
        },
        { id: expect.any(String), type: 'SMS', token: '+14155550123', enabled: true, notification_types: 1 },
      ],
    });
    const subscriptionId = seeded.subscriptions[0]?.id ?? '';
    const off = await call(sims(), 'onesignal', 'PATCH', `${app()}/subscriptions/${subscriptionId}`, {
      body: { subscription: { enabled: false } },
      headers: auth(),
    });
    expect(off.status).toBe(202);
    expect(sims().state.onesignal.user('u-1')?.subscriptions[0]).toMatchObject({
      enabled: false,
      notification_types: -2,
    });
    const on = await call(
      sims(),
      'onesignal',
      'PATCH',
      `${app()}/subscriptions_by_token/iOSPush/apns-token`,
      {
        body: { subscription: { enabled: true } },
        headers: auth(),
      },
    );
    expect(on.status).toBe(202);
    expect(sims().state.onesignal.user('u-1')?.subscriptions[0]).toMatchObject({
      enabled: true,
      notification_types: 1,
    });
  });

  it('answers 404 for an unknown user or subscription and deletes a user', async () => {
    const missing = await call(sims(), 'onesignal', 'GET', `${app()}/users/by/external_id/nobody`, {
      headers: auth(),
    });
    expect(missing).toMatchObject({
      status: 404,
      body: { errors: [expect.objectContaining({ title: expect.any(String) })] },
    });
    const noSub = await call(sims(), 'onesignal', 'PATCH', `${app()}/subscriptions/nope`, {
      body: { subscription: { enabled: false } },
      headers: auth(),
    });
    expect(noSub.status).toBe(404);
    sims().state.onesignal.seedUser('u-2', []);
    const deleted = await call(sims(), 'onesignal', 'DELETE', `${app()}/users/by/external_id/u-2`, {
      headers: auth(),
    });
    expect(deleted.status).toBe(200);
    expect(sims().state.onesignal.user('u-2')).toBeUndefined();
  });

  it('refuses a wrong key, a Bearer header and another app id with 401', async () => {
    sims().state.onesignal.seedUser('u-1', []);
    for (const [path, headers] of [
      [`${app()}/users/by/external_id/u-1`, { authorization: 'Key wrong' }],
      [
        `${app()}/users/by/external_id/u-1`,
        { authorization: `Bearer ${sims().credentials.onesignalApiKey}` },
      ],
      ['/apps/other-app/users/by/external_id/u-1', auth()],
    ] as const) {
      const response = await call(sims(), 'onesignal', 'GET', path, { headers });
      expect(response).toMatchObject({ status: 401, body: { errors: [expect.any(Object)] } });
    }
  });

  it('answers 400 for a malformed subscription update', async () => {
    const { subscriptions } = sims().state.onesignal.seedUser('u-1', [{ type: 'AndroidPush', token: 't' }]);
    for (const body of [{ enabled: false }, { subscription: {} }, { subscription: { enabled: 'no' } }]) {
      const response = await call(
        sims(),
        'onesignal',
        'PATCH',
        `${app()}/subscriptions/${subscriptions[0]?.id}`,
        {
          body,
          headers: auth(),
        },
      );
      expect(response).toMatchObject({ status: 400, body: { errors: [expect.any(Object)] } });
    }
    expect(sims().state.onesignal.user('u-1')?.subscriptions[0]?.enabled).toBe(true);
  });

  it('finds subscriptions by id and token through its indexes: re-seeding moves a token, deleting a user frees it', async () => {
    const state = sims().state.onesignal;
    for (let i = 0; i < 20_000; i += 1)
      state.seedUser(`bulk-${i}`, [{ type: 'AndroidPush', token: `fcm-${i}` }]);
    const first = state.seedUser('u-a', [{ type: 'ChromePush', token: 'shared-token' }]);
    expect(
      state.findSubscription({ type: 'ChromePush', token: 'shared-token' })?.user.identity.external_id,
    ).toBe('u-a');
    // The same token registered again (a device handed on): it is the new user's now.
    state.seedUser('u-b', [{ type: 'ChromePush', token: 'shared-token' }]);
    expect(
      state.findSubscription({ type: 'ChromePush', token: 'shared-token' })?.user.identity.external_id,
    ).toBe('u-b');
    expect(state.findSubscription({ id: first.subscriptions[0]?.id ?? '' })?.user.identity.external_id).toBe(
      'u-a',
    );
    expect(
      state.findSubscription({ type: 'AndroidPush', token: 'fcm-19999' })?.user.identity.external_id,
    ).toBe('bulk-19999');
    // A re-seeded user's old subscriptions are gone; a deleted user's are not found.
    const again = state.seedUser('bulk-7', [{ type: 'AndroidPush', token: 'fcm-7b' }]);
    expect(state.findSubscription({ type: 'AndroidPush', token: 'fcm-7' })).toBeUndefined();
    expect(state.findSubscription({ id: again.subscriptions[0]?.id ?? '' })?.subscription.token).toBe(
      'fcm-7b',
    );
    expect(state.deleteUser('u-b')).toBe(true);
    expect(state.findSubscription({ type: 'ChromePush', token: 'shared-token' })).toBeUndefined();
  });
});

describe('OneSignal simulator: data tags (docs/providers.md, OS-UPD)', () => {
  const sims = useSimulators();
  const auth = () => ({ authorization: `Key ${sims().credentials.onesignalApiKey}` });
  const user = () => `/apps/${sims().credentials.onesignalAppId}/users/by/external_id/u-7`;

  it('update user merges tags (202), an empty value removes one; a non-string tag is a 400, an unknown user a 404', async () => {
    sims().state.onesignal.seedUser('u-7', [{ type: 'iOSPush', token: 'apns-7' }]);
    const set = await call(sims(), 'onesignal', 'PATCH', user(), {
      body: { properties: { tags: { topic_a: '1', topic_b: '1' } } },
      headers: auth(),
    });
    expect(set).toMatchObject({
      status: 202,
      body: { properties: { tags: { topic_a: '1', topic_b: '1' } } },
    });
    await call(sims(), 'onesignal', 'PATCH', user(), {
      body: { properties: { tags: { topic_a: '' } } },
      headers: auth(),
    });
    expect(sims().state.onesignal.user('u-7')?.properties['tags']).toEqual({ topic_b: '1' });
    const bad = await call(sims(), 'onesignal', 'PATCH', user(), {
      body: { properties: { tags: { topic_a: 1 } } },
      headers: auth(),
    });
    expect(bad.status).toBe(400);
    const unknown = await call(sims(), 'onesignal', 'PATCH', user().replace('u-7', 'nobody'), {
      body: { properties: { tags: { topic_a: '1' } } },
      headers: auth(),
    });
    expect(unknown.status).toBe(404);
  });
});
