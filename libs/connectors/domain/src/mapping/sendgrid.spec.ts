import { consent } from '../testing/consent';
import { planSendgrid, sendgridFingerprint, sendgridReadRequest, sendgridViewOf } from './sendgrid';

const a = consent({
  externalId: 'a',
  email: 'a@x.com',
  channels: { email: 'unsubscribed', sms: 'subscribed' },
});
const b = consent({ externalId: 'b', email: 'b@x.com', channels: { email: 'unsubscribed' } });
const c = consent({ externalId: 'c', email: 'c+tag@x.com', channels: { email: 'subscribed' } });
const noEmail = consent({ externalId: 'd', channels: { email: 'unsubscribed' } });
const noEmailConsent = consent({ externalId: 'e', email: 'e@x.com', channels: { sms: 'unsubscribed' } });

const requestsOf = (plan: ReturnType<typeof planSendgrid>) =>
  plan.requests.map((r) => ({ ...r.request, contacts: r.contacts.map((x) => x.externalId) }));

describe('SendGrid mapping', () => {
  it('global: all unsubscribes of the batch in ONE POST, one DELETE per subscribed email', () => {
    const plan = planSendgrid([a, b, c, noEmail, noEmailConsent], {});
    expect(requestsOf(plan)).toEqual([
      {
        method: 'POST',
        path: '/v3/asm/suppressions/global',
        body: { recipient_emails: ['a@x.com', 'b@x.com'] },
        contacts: ['a', 'b'],
      },
      { method: 'DELETE', path: '/v3/asm/suppressions/global/c%2Btag%40x.com', contacts: ['c'] },
    ]);
    expect(plan.skipped.map((s) => [s.contact.externalId, s.reason])).toEqual([
      ['d', 'no email address'],
      ['e', 'no email consent to represent'],
    ]);
  });

  it('group mode: one POST per group, DELETE from every group', () => {
    expect(requestsOf(planSendgrid([a, c], { groupIds: [11, 12] }))).toEqual([
      {
        method: 'POST',
        path: '/v3/asm/groups/11/suppressions',
        body: { recipient_emails: ['a@x.com'] },
        contacts: ['a'],
      },
      {
        method: 'POST',
        path: '/v3/asm/groups/12/suppressions',
        body: { recipient_emails: ['a@x.com'] },
        contacts: ['a'],
      },
      { method: 'DELETE', path: '/v3/asm/groups/11/suppressions/c%2Btag%40x.com', contacts: ['c'] },
      { method: 'DELETE', path: '/v3/asm/groups/12/suppressions/c%2Btag%40x.com', contacts: ['c'] },
    ]);
  });

  it('the same address twice in a batch is sent once', () => {
    const again = consent({ externalId: 'a2', email: 'a@x.com', channels: { email: 'unsubscribed' } });
    expect(planSendgrid([a, again], {}).requests[0]?.request.body).toEqual({ recipient_emails: ['a@x.com'] });
  });

  it.each([
    [{ email: 'unsubscribed', sms: 'subscribed' } as const, 'email=unsubscribed'],
    [{ email: 'unsubscribed', sms: 'unsubscribed' } as const, 'email=unsubscribed'],
    [{ push: 'subscribed' } as const, 'email=-'],
  ])('fingerprint only sees email: %j → %s', (channels, expected) => {
    expect(sendgridFingerprint(consent({ externalId: 'x', channels }))).toBe(expected);
  });

  it.each([
    [{}, 'a@x.com', '/v3/asm/suppressions/global/a%40x.com'],
    [{ groupIds: [11] }, 'a@x.com', '/v3/asm/suppressions/a%40x.com'],
  ])('read request %j', (config, email, path) => {
    expect(sendgridReadRequest(email, config)).toEqual({ method: 'GET', path });
  });

  it.each([
    [{}, { recipient_email: 'a@x.com' }, 'unsubscribed'],
    [{}, {}, 'subscribed'],
    [
      { groupIds: [11] },
      {
        suppressions: [
          { id: 11, suppressed: true },
          { id: 12, suppressed: false },
        ],
      },
      'unsubscribed',
    ],
    [{ groupIds: [11] }, { suppressions: [{ id: 12, suppressed: true }] }, 'subscribed'],
  ])('read view %j %j → %s', (config, body, expected) => {
    expect(sendgridViewOf(body, config)).toBe(expected);
  });
});

describe('SendGrid mapping of topics', () => {
  const topicGroups = { newsletter: 42, promotions: 44 };
  const globalOptOutThenGroupResubscribe = consent({
    externalId: 't1',
    email: 't1@x.com',
    channels: { email: 'unsubscribed' },
    topics: { email: [{ topic: 'newsletter', status: 'subscribed', effective: 'unsubscribed' }] },
  });

  it('a group resubscribe after a global opt-out keeps the global suppression and leaves only the group', () => {
    expect(requestsOf(planSendgrid([globalOptOutThenGroupResubscribe], { topicGroups }))).toEqual([
      {
        method: 'POST',
        path: '/v3/asm/suppressions/global',
        body: { recipient_emails: ['t1@x.com'] },
        contacts: ['t1'],
      },
      { method: 'DELETE', path: '/v3/asm/groups/42/suppressions/t1%40x.com', contacts: ['t1'] },
    ]);
  });

  it('a group unsubscribe writes only that group (no channel-wide choice on record)', () => {
    const onlyTopic = consent({
      externalId: 't2',
      email: 't2@x.com',
      topics: { email: [{ topic: 'promotions', status: 'unsubscribed', effective: 'unsubscribed' }] },
    });
    expect(requestsOf(planSendgrid([onlyTopic], { topicGroups }))).toEqual([
      {
        method: 'POST',
        path: '/v3/asm/groups/44/suppressions',
        body: { recipient_emails: ['t2@x.com'] },
        contacts: ['t2'],
      },
    ]);
  });

  it('a topic without a SendGrid group, or of another channel, writes nothing', () => {
    const elsewhere = consent({
      externalId: 't3',
      email: 't3@x.com',
      topics: {
        email: [{ topic: 'product-updates', status: 'unsubscribed', effective: 'unsubscribed' }],
        sms: [{ topic: 'promotions', status: 'unsubscribed', effective: 'unsubscribed' }],
      },
    });
    const plan = planSendgrid([elsewhere], { topicGroups });
    expect(plan.requests).toEqual([]);
    expect(plan.skipped.map((s) => s.reason)).toEqual(['no email consent to represent']);
  });

  it('in group mode a topic never lifts the channel-wide choice written to the same group', () => {
    expect(
      requestsOf(planSendgrid([globalOptOutThenGroupResubscribe], { groupIds: [42], topicGroups })),
    ).toEqual([
      {
        method: 'POST',
        path: '/v3/asm/groups/42/suppressions',
        body: { recipient_emails: ['t1@x.com'] },
        contacts: ['t1'],
      },
    ]);
  });

  it('a topic id naming an Object.prototype member is no representation', () => {
    const odd = consent({
      externalId: 't4',
      email: 't4@x.com',
      topics: { email: [{ topic: 'constructor', status: 'unsubscribed', effective: 'unsubscribed' }] },
    });
    expect(planSendgrid([odd], { topicGroups }).requests).toEqual([]);
  });

  it('topic choices change the fingerprint; a contact without topics keeps its old one', () => {
    expect(sendgridFingerprint(globalOptOutThenGroupResubscribe)).toBe(
      'email=unsubscribed[newsletter=subscribed/unsubscribed]',
    );
    expect(sendgridFingerprint(consent({ externalId: 'x', channels: { email: 'subscribed' } }))).toBe(
      'email=subscribed',
    );
  });
});
