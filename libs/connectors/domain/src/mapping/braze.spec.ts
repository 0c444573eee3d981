import { consent } from '../testing/consent';
import { brazeAttributes, brazeFingerprint, brazeRejectedIndexes, brazeViewOf, planBraze } from './braze';

const withGroup = { smsSubscriptionGroupId: 'sms-group' };

describe('Braze mapping', () => {
  it.each([
    [
      'all channels',
      { email: 'subscribed', push: 'unsubscribed', sms: 'unsubscribed' } as const,
      withGroup,
      {
        external_id: 'a',
        email_subscribe: 'opted_in',
        push_subscribe: 'unsubscribed',
        subscription_groups: [{ subscription_group_id: 'sms-group', subscription_state: 'unsubscribed' }],
      },
    ],
    [
      'absent channels are omitted',
      { push: 'subscribed' } as const,
      withGroup,
      { external_id: 'a', push_subscribe: 'opted_in' },
    ],
    [
      'sms without a configured group is not represented',
      { email: 'unsubscribed', sms: 'subscribed' } as const,
      {},
      { external_id: 'a', email_subscribe: 'unsubscribed' },
    ],
    [
      'sms subscribed → group state subscribed',
      { sms: 'subscribed' } as const,
      withGroup,
      {
        external_id: 'a',
        subscription_groups: [{ subscription_group_id: 'sms-group', subscription_state: 'subscribed' }],
      },
    ],
  ])('%s', (_name, channels, config, attributes) => {
    const plan = planBraze([consent({ externalId: 'a', channels })], config);
    expect(plan.requests.map((r) => r.request)).toEqual([
      { method: 'POST', path: '/users/track', body: { attributes: [attributes] } },
    ]);
  });

  it('batches at most 75 objects per request, contacts in attribute order', () => {
    const batch = Array.from({ length: 160 }, (_, i) =>
      consent({ externalId: `c${i}`, channels: { email: 'unsubscribed' } }),
    );
    const plan = planBraze(batch, {});
    expect(plan.requests.map((r) => r.contacts.length)).toEqual([75, 75, 10]);
    expect(plan.requests[1]?.contacts[0]?.externalId).toBe('c75');
  });

  it('needs no address; skips contacts with nothing representable', () => {
    const plan = planBraze(
      [
        consent({ externalId: 'a', channels: { sms: 'subscribed' } }),
        consent({ externalId: 'b', channels: { email: 'subscribed' } }),
      ],
      {},
    );
    expect(plan.requests.map((r) => r.contacts.map((c) => c.externalId))).toEqual([['b']]);
    expect(plan.skipped.map((s) => s.contact.externalId)).toEqual(['a']);
  });

  it.each([
    [{}, 'email=unsubscribed|push=-'],
    [withGroup, 'email=unsubscribed|sms=subscribed|push=-'],
  ])('fingerprint with config %j', (config, expected) => {
    expect(
      brazeFingerprint(
        consent({ externalId: 'a', channels: { email: 'unsubscribed', sms: 'subscribed' } }),
        config,
      ),
    ).toBe(expected);
  });

  it.each([
    [{ message: 'success' }, []],
    [
      {
        message: 'success',
        errors: [{ type: "'external_id' is invalid", input_array: 'attributes', index: 1 }],
      },
      [[1, "'external_id' is invalid"]],
    ],
    [{ message: 'success', errors: [{ type: 'bad event', input_array: 'events', index: 0 }] }, []],
    [{ message: 'success', errors: [{ type: 'no index' }] }, []],
  ])('partial success %j', (body, expected) => {
    expect([...brazeRejectedIndexes(body)]).toEqual(expected);
  });

  it.each([
    [{ users: [] }, undefined],
    [
      { users: [{ external_id: 'a', email_subscribe: 'opted_in', push_subscribe: 'subscribed' }] },
      { email: 'subscribed' },
    ],
    [
      {
        users: [
          {
            external_id: 'a',
            push_subscribe: 'unsubscribed',
            subscription_groups: [{ id: 'sms-group', status: 'Unsubscribed' }],
          },
        ],
      },
      { push: 'unsubscribed', sms: 'unsubscribed' },
    ],
  ])('view of export %j', (body, expected) => {
    expect(brazeViewOf(body, withGroup)).toEqual(expected);
  });
});

describe('Braze mapping of topics', () => {
  const topicGroups = { newsletter: 'g-news', promotions: 'g-promo' };
  it('email topics from their own status, SMS topics from their effective status; unsubscribed wins a shared group', () => {
    const contact = consent({
      externalId: 'x',
      channels: { email: 'unsubscribed', sms: 'unsubscribed' },
      topics: {
        email: [
          { topic: 'newsletter', status: 'subscribed', effective: 'unsubscribed' },
          { topic: 'promotions', status: 'subscribed', effective: 'unsubscribed' },
        ],
        sms: [{ topic: 'promotions', status: 'subscribed', effective: 'unsubscribed' }],
      },
    });
    expect(brazeAttributes(contact, { topicGroups })).toEqual({
      external_id: 'x',
      email_subscribe: 'unsubscribed',
      subscription_groups: [
        { subscription_group_id: 'g-news', subscription_state: 'subscribed' },
        { subscription_group_id: 'g-promo', subscription_state: 'unsubscribed' },
      ],
    });
  });

  it('the SMS channel group keeps the channel-wide choice when a topic names the same group', () => {
    const contact = consent({
      externalId: 'y',
      channels: { sms: 'unsubscribed' },
      topics: { sms: [{ topic: 'promotions', status: 'subscribed', effective: 'subscribed' }] },
    });
    expect(
      brazeAttributes(contact, { smsSubscriptionGroupId: 'g-promo', topicGroups })?.subscription_groups,
    ).toEqual([{ subscription_group_id: 'g-promo', subscription_state: 'unsubscribed' }]);
  });

  it('SMS topics enter the fingerprint without an SMS channel group; contacts without topics keep theirs', () => {
    const plain = consent({ externalId: 'z', channels: { email: 'subscribed' } });
    expect(brazeFingerprint(plain, { topicGroups })).toBe(brazeFingerprint(plain, {}));
    const withSms = consent({
      externalId: 'z',
      topics: { sms: [{ topic: 'promotions', status: 'unsubscribed', effective: 'unsubscribed' }] },
    });
    expect(brazeFingerprint(withSms, { topicGroups })).toBe(
      'email=-|push=-|sms-topics[promotions=unsubscribed]',
    );
  });
});
