import { BRAZE_TRACK_MAX_OBJECTS } from '../src';
import { bearer, call, useSimulators } from './harness';

describe('Braze simulator', () => {
  const sims = useSimulators();
  const auth = () => bearer(sims().credentials.brazeApiKey);
  const track = (body: unknown) => call(sims(), 'braze', 'POST', '/users/track', { body, headers: auth() });

  it('/users/track sets subscription attributes, groups, email and phone; null removes a field', async () => {
    const response = await track({
      attributes: [
        {
          external_id: 'u-1',
          email: 'jane@example.com',
          phone: '+14155550123',
          email_subscribe: 'opted_in',
          push_subscribe: 'unsubscribed',
          subscription_groups: [{ subscription_group_id: 'sms-group', subscription_state: 'unsubscribed' }],
          favourite_colour: 'teal',
        },
      ],
    });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ message: 'success', attributes_processed: 1 });
    expect(response.headers.get('x-ratelimit-limit')).toMatch(/^\d+$/);
    expect(sims().state.braze.user('u-1')).toMatchObject({
      external_id: 'u-1',
      email: 'jane@example.com',
      phone: '+14155550123',
      email_subscribe: 'opted_in',
      push_subscribe: 'unsubscribed',
      subscription_groups: { 'sms-group': 'unsubscribed' },
      custom_attributes: { favourite_colour: 'teal' },
    });
    await track({ attributes: [{ external_id: 'u-1', phone: null, favourite_colour: null }] });
    const user = sims().state.braze.user('u-1');
    expect(user?.phone).toBeUndefined();
    expect(user?.custom_attributes).toEqual({});
  });

  it('reports objects without an identifier or with a bad value as partial errors', async () => {
    const response = await track({
      attributes: [
        { external_id: 'ok', email_subscribe: 'unsubscribed' },
        { email_subscribe: 'unsubscribed' },
        { external_id: 'bad', push_subscribe: 'maybe' },
      ],
    });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      message: 'success',
      attributes_processed: 1,
      errors: [
        { type: expect.any(String), input_array: 'attributes', index: 1 },
        { type: expect.any(String), input_array: 'attributes', index: 2 },
      ],
    });
    expect(sims().state.braze.user('bad')).toBeUndefined();
  });

  it(`refuses more than ${BRAZE_TRACK_MAX_OBJECTS} objects in total, an empty request and a non-JSON body`, async () => {
    const attributes = Array.from({ length: 50 }, (_, i) => ({
      external_id: `a${i}`,
      email_subscribe: 'subscribed',
    }));
    const events = Array.from({ length: 26 }, (_, i) => ({
      external_id: `a${i}`,
      name: 'x',
      time: '2026-01-01T00:00:00Z',
    }));
    const tooMany = await track({ attributes, events });
    expect(tooMany).toMatchObject({ status: 400, body: { message: expect.stringContaining('76') } });
    expect(sims().state.braze.user('a0')).toBeUndefined();
    expect((await track({})).status).toBe(400);
    const raw = await call(sims(), 'braze', 'POST', '/users/track', { raw: 'attributes=1', headers: auth() });
    expect(raw).toMatchObject({ status: 400, body: { message: expect.any(String) } });
  });

  it('subscription status set (v1 and v2), get, export and delete', async () => {
    const v1 = await call(sims(), 'braze', 'POST', '/subscription/status/set', {
      body: { subscription_group_id: 'g1', subscription_state: 'unsubscribed', external_id: ['u-1', 'u-2'] },
      headers: auth(),
    });
    expect(v1).toMatchObject({ status: 201, body: { message: 'success' } });
    const v2 = await call(sims(), 'braze', 'POST', '/v2/subscription/status/set', {
      body: {
        subscription_groups: [
          { subscription_group_id: 'g2', subscription_state: 'subscribed', external_ids: ['u-1'] },
        ],
      },
      headers: auth(),
    });
    expect(v2.status).toBe(201);
    expect(sims().state.braze.user('u-1')?.subscription_groups).toEqual({
      g1: 'unsubscribed',
      g2: 'subscribed',
    });

    const get = await call(
      sims(),
      'braze',
      'GET',
      '/subscription/status/get?subscription_group_id=g2&external_id=u-1,u-2',
      {
        headers: auth(),
      },
    );
    expect(get.body).toEqual({ status: { 'u-1': 'Subscribed', 'u-2': 'Unknown' }, message: 'success' });

    const exported = await call(sims(), 'braze', 'POST', '/users/export/ids', {
      body: { external_ids: ['u-1', 'nobody'] },
      headers: auth(),
    });
    expect(exported.body).toMatchObject({
      users: [
        {
          external_id: 'u-1',
          subscription_groups: expect.arrayContaining([{ id: 'g1', status: 'Unsubscribed' }]),
        },
      ],
      invalid_user_ids: ['nobody'],
      message: 'success',
    });

    const deleted = await call(sims(), 'braze', 'POST', '/users/delete', {
      body: { external_ids: ['u-1'] },
      headers: auth(),
    });
    expect(deleted.body).toEqual({ deleted: 1, message: 'success' });
    expect(sims().state.braze.user('u-1')).toBeUndefined();
  });

  it('status set: refuses email and phone together, nobody named, and bad states', async () => {
    for (const body of [
      {
        subscription_group_id: 'g',
        subscription_state: 'unsubscribed',
        email: 'a@example.com',
        phone: '+14155550123',
      },
      { subscription_group_id: 'g', subscription_state: 'unsubscribed' },
      { subscription_group_id: 'g', subscription_state: 'opted_in', external_id: 'u' },
    ]) {
      const response = await call(sims(), 'braze', 'POST', '/subscription/status/set', {
        body,
        headers: auth(),
      });
      expect(response).toMatchObject({ status: 400, body: { message: expect.any(String) } });
    }
  });

  it('status set by email reaches the profile holding that email', async () => {
    await track({ attributes: [{ external_id: 'u-9', email: 'nine@example.com' }] });
    await call(sims(), 'braze', 'POST', '/subscription/status/set', {
      body: { subscription_group_id: 'g', subscription_state: 'unsubscribed', email: 'NINE@example.com' },
      headers: auth(),
    });
    expect(sims().state.braze.user('u-9')?.subscription_groups).toEqual({ g: 'unsubscribed' });
  });

  it('refuses a wrong key with 401', async () => {
    const response = await call(sims(), 'braze', 'POST', '/users/track', {
      body: { attributes: [{ external_id: 'u' }] },
      headers: bearer('nope'),
    });
    expect(response).toMatchObject({ status: 401, body: { message: expect.any(String) } });
  });
});

describe('Braze simulator: global email state vs subscription groups (docs/providers.md, BZ-SUBST)', () => {
  const sims = useSimulators();
  const auth = () => bearer(sims().credentials.brazeApiKey);

  it('a group subscribe does not lift a global email unsubscribe; the user gets no email of that group', async () => {
    await call(sims(), 'braze', 'POST', '/users/track', {
      body: { attributes: [{ external_id: 'u-9', email_subscribe: 'unsubscribed' }] },
      headers: auth(),
    });
    const set = await call(sims(), 'braze', 'POST', '/subscription/status/set', {
      body: {
        subscription_group_id: 'newsletter-group',
        subscription_state: 'subscribed',
        external_id: 'u-9',
      },
      headers: auth(),
    });
    expect(set.status).toBe(201);
    const braze = sims().state.braze;
    expect(braze.user('u-9')).toMatchObject({
      email_subscribe: 'unsubscribed',
      subscription_groups: { 'newsletter-group': 'subscribed' },
    });
    expect(braze.receivesEmail('u-9', 'newsletter-group')).toBe(false);

    await call(sims(), 'braze', 'POST', '/users/track', {
      body: { attributes: [{ external_id: 'u-9', email_subscribe: 'opted_in' }] },
      headers: auth(),
    });
    expect(braze.receivesEmail('u-9', 'newsletter-group')).toBe(true);
    expect(braze.receivesEmail('u-9', 'other-group')).toBe(false);
  });
});
