import { consent } from '../testing/consent';
import {
  isMailchimpComplianceRefusal,
  isMailchimpThrottle,
  mailchimpPendingInstead,
  mailchimpFingerprint,
  mailchimpViewOf,
  planMailchimp,
  subscriberHash,
} from './mailchimp';

const config = { listId: 'L1' };

describe('Mailchimp mapping', () => {
  it.each([
    ['Urist.McVankab@freddiesjokes.com', '62eeb292278cc15f5817cb78f7790b08'],
    ['  urist.mcvankab@FREDDIESJOKES.com ', '62eeb292278cc15f5817cb78f7790b08'],
  ])('subscriber hash of %j', (email, hash) => {
    expect(subscriberHash(email)).toBe(hash);
  });

  it.each([
    [
      'email status plus the other channels as merge fields',
      { email: 'unsubscribed', sms: 'subscribed', push: 'unsubscribed' } as const,
      {},
      {
        email_address: 'Urist.McVankab@freddiesjokes.com',
        status_if_new: 'unsubscribed',
        status: 'unsubscribed',
        merge_fields: { SMSSTATUS: 'subscribed', PUSHSTATUS: 'unsubscribed' },
      },
    ],
    [
      'configured merge tags, absent channels omitted',
      { email: 'subscribed', sms: 'unsubscribed' } as const,
      { smsMergeTag: 'SMS', pushMergeTag: 'PUSH' },
      {
        email_address: 'Urist.McVankab@freddiesjokes.com',
        status_if_new: 'subscribed',
        status: 'subscribed',
        merge_fields: { SMS: 'unsubscribed' },
      },
    ],
    [
      'unknown email consent: new members are transactional, existing keep their status',
      { sms: 'unsubscribed' } as const,
      {},
      {
        email_address: 'Urist.McVankab@freddiesjokes.com',
        status_if_new: 'transactional',
        merge_fields: { SMSSTATUS: 'unsubscribed' },
      },
    ],
    [
      'email only: no merge_fields',
      { email: 'subscribed' } as const,
      {},
      {
        email_address: 'Urist.McVankab@freddiesjokes.com',
        status_if_new: 'subscribed',
        status: 'subscribed',
      },
    ],
  ])('%s', (_name, channels, extra, body) => {
    const contact = consent({ externalId: 'a', email: 'Urist.McVankab@freddiesjokes.com', channels });
    const plan = planMailchimp([contact], { ...config, ...extra });
    expect(plan.requests.map((r) => r.request)).toEqual([
      { method: 'PUT', path: '/lists/L1/members/62eeb292278cc15f5817cb78f7790b08', body },
    ]);
  });

  it('one request per contact; no email or no consent → skipped', () => {
    const plan = planMailchimp(
      [
        consent({ externalId: 'a', email: 'a@x.com', channels: { email: 'subscribed' } }),
        consent({ externalId: 'b', email: 'b@x.com', channels: { push: 'subscribed' } }),
        consent({ externalId: 'c', channels: { email: 'subscribed' } }),
        consent({ externalId: 'd', email: 'd@x.com' }),
      ],
      config,
    );
    expect(plan.requests.map((r) => r.contacts.map((c) => c.externalId))).toEqual([['a'], ['b']]);
    expect(plan.skipped.map((s) => s.reason)).toEqual(['no email address', 'no consent to represent']);
  });

  it('fingerprint covers all three channels', () => {
    expect(mailchimpFingerprint(consent({ externalId: 'a', channels: { sms: 'unsubscribed' } }))).toBe(
      'email=-|sms=unsubscribed|push=-',
    );
  });

  it.each([
    [
      { status: 'subscribed', merge_fields: { SMSSTATUS: 'unsubscribed', PUSHSTATUS: '' } },
      { email: 'subscribed', sms: 'unsubscribed' },
    ],
    [{ status: 'cleaned' }, { email: 'unsubscribed' }],
    [{ status: 'pending', merge_fields: { PUSHSTATUS: 'subscribed' } }, { push: 'subscribed' }],
    [{ status: 'transactional' }, {}],
  ])('view of member %j', (member, expected) => {
    expect(mailchimpViewOf(member, config)).toEqual(expected);
  });
});

describe('isMailchimpThrottle', () => {
  const throttled = {
    title: 'Invalid Resource',
    status: 400,
    detail: "a@x.com has signed up to a lot of lists very recently; we're not allowing more signups for now",
  };
  it.each([
    [400, throttled, true],
    [
      400,
      { title: 'Member In Compliance State', status: 400, detail: 'a@x.com is in a compliance state' },
      false,
    ],
    [429, throttled, false],
    [400, 'not json', false],
  ])('%i %j → %s', (status, body, expected) => {
    expect(isMailchimpThrottle(status, body)).toBe(expected);
  });
});

describe('Mailchimp compliance state', () => {
  const compliance = {
    type: 'https://mailchimp.com/developer/marketing/docs/errors/',
    title: 'Member In Compliance State',
    status: 400,
    detail:
      'a@x.com is in a compliance state due to unsubscribe, bounce, or compliance review and cannot be subscribed.',
  };
  it.each([
    [400, compliance, true],
    [400, { ...compliance, title: 'Invalid Resource' }, false],
    [403, compliance, false],
    [400, undefined, false],
  ])('%i %j is a compliance refusal: %s', (status, body, expected) => {
    expect(isMailchimpComplianceRefusal(status, body)).toBe(expected);
  });

  it('asks pending instead of a refused subscribed PUT, and nothing else', () => {
    const put = {
      method: 'PUT' as const,
      path: '/lists/l/members/h',
      body: { email_address: 'a@x.com', status_if_new: 'subscribed', status: 'subscribed' },
    };
    expect(mailchimpPendingInstead(put)).toEqual({ ...put, body: { ...put.body, status: 'pending' } });
    expect(
      mailchimpPendingInstead({ ...put, body: { ...put.body, status: 'unsubscribed' } }),
    ).toBeUndefined();
    expect(mailchimpPendingInstead({ ...put, method: 'PATCH' })).toBeUndefined();
  });

  it('writes topic interests from the effective status and plans a member for a topic alone', () => {
    const plan = planMailchimp(
      [
        consent({
          externalId: 't',
          email: 't@x.com',
          topics: {
            email: [
              { topic: 'newsletter', status: 'subscribed', effective: 'unsubscribed' },
              { topic: 'promotions', status: 'subscribed', effective: 'subscribed' },
              { topic: 'unmapped', status: 'unsubscribed', effective: 'unsubscribed' },
            ],
          },
        }),
      ],
      { listId: 'l', topicInterests: { newsletter: 'a1b2c3d4e5', promotions: 'f6e5d4c3b2' } },
    );
    expect(plan.requests[0]?.request.body).toEqual({
      email_address: 't@x.com',
      status_if_new: 'transactional',
      interests: { a1b2c3d4e5: false, f6e5d4c3b2: true },
    });
  });
});
