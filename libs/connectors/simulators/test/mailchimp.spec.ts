import { subscriberHash } from '../src';
import { basic, bearer, call, useSimulators } from './harness';

const LIST = 'a1b2c3';
const EMAIL = 'Urist.McVankab@freddiesjokes.com';
const HASH = '62eeb292278cc15f5817cb78f7790b08';
const MEMBER = `/lists/${LIST}/members/${HASH}`;

describe('Mailchimp simulator', () => {
  const sims = useSimulators();
  const auth = () => basic('anystring', sims().credentials.mailchimpApiKey);

  it('computes the subscriber hash like Mailchimp (the docs/providers.md example)', () => {
    expect(subscriberHash(` ${EMAIL} `)).toBe(HASH);
  });

  it('upserts with PUT (status_if_new for a new member, status for an existing one), reads with GET', async () => {
    const created = await call(sims(), 'mailchimp', 'PUT', MEMBER, {
      body: { email_address: EMAIL, status_if_new: 'subscribed', merge_fields: { FNAME: 'Urist' } },
      headers: auth(),
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      id: HASH,
      email_address: EMAIL,
      status: 'subscribed',
      list_id: LIST,
    });
    const updated = await call(sims(), 'mailchimp', 'PUT', MEMBER, {
      body: { email_address: EMAIL, status_if_new: 'subscribed', status: 'unsubscribed' },
      headers: bearer(sims().credentials.mailchimpApiKey),
    });
    expect(updated.body).toMatchObject({ status: 'unsubscribed', merge_fields: { FNAME: 'Urist' } });
    expect(sims().state.mailchimp.member(LIST, EMAIL.toUpperCase())?.status).toBe('unsubscribed');
    const read = await call(sims(), 'mailchimp', 'GET', MEMBER, { headers: auth() });
    expect(read).toMatchObject({ status: 200, body: { status: 'unsubscribed' } });
  });

  it('updates with PATCH and deletes permanently; PATCH/GET of an absent member is a problem+json 404', async () => {
    const missing = await call(sims(), 'mailchimp', 'PATCH', MEMBER, {
      body: { status: 'unsubscribed' },
      headers: auth(),
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(missing.body).toEqual({
      type: expect.any(String),
      title: 'Resource Not Found',
      status: 404,
      detail: expect.any(String),
      instance: expect.any(String),
    });
    sims().state.mailchimp.write(LIST, EMAIL, { status: 'subscribed' }, Date.now());
    const patched = await call(sims(), 'mailchimp', 'PATCH', MEMBER, {
      body: { status: 'unsubscribed' },
      headers: auth(),
    });
    expect(patched).toMatchObject({ status: 200, body: { status: 'unsubscribed' } });
    const deleted = await call(sims(), 'mailchimp', 'POST', `${MEMBER}/actions/delete-permanent`, {
      headers: auth(),
    });
    expect(deleted.status).toBe(204);
    expect((await call(sims(), 'mailchimp', 'GET', MEMBER, { headers: auth() })).status).toBe(404);
  });

  it.each([
    ['a hash that is not the email’s', { email_address: 'other@example.com', status_if_new: 'subscribed' }],
    ['no status_if_new for a new member', { email_address: EMAIL }],
    ['an unknown status', { email_address: EMAIL, status_if_new: 'maybe' }],
    ['no email_address', { status_if_new: 'subscribed' }],
  ])('answers 400 problem+json for %s', async (_, body) => {
    const response = await call(sims(), 'mailchimp', 'PUT', MEMBER, { body, headers: auth() });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      status: 400,
      title: 'Invalid Resource',
      detail: expect.any(String),
    });
    expect(sims().state.mailchimp.member(LIST, EMAIL)).toBeUndefined();
  });

  it('refuses a wrong key (Basic or Bearer) with 401 problem+json', async () => {
    for (const headers of [basic('user', 'wrong-us19'), bearer('wrong'), {}]) {
      const response = await call(sims(), 'mailchimp', 'GET', MEMBER, { headers });
      expect(response).toMatchObject({ status: 401, body: { status: 401, title: 'API Key Invalid' } });
    }
  });
});
