import { consent } from '../testing/consent';
import {
  oneSignalChannelOf,
  oneSignalLookup,
  oneSignalTagUpdate,
  oneSignalUpdates,
  oneSignalViewOf,
  parseOneSignalSubscriptions,
  parseOneSignalTags,
} from './onesignal';

const config = { appId: 'app-1' };
const subs = [
  { id: 's-ios', type: 'iOSPush', enabled: true },
  { id: 's-chrome', type: 'ChromePush', enabled: false },
  { id: 's-email', type: 'Email', enabled: true },
  { id: 's-sms', type: 'SMS', enabled: true },
  { id: 's-future', type: 'HologramPush', enabled: true },
];

describe('OneSignal mapping', () => {
  it('looks the user up by external id', () => {
    expect(oneSignalLookup('ext 1', config)).toEqual({
      method: 'GET',
      path: '/apps/app-1/users/by/external_id/ext%201',
    });
  });

  it.each([
    ['iOSPush', 'push'],
    ['AndroidPush', 'push'],
    ['SafariPush', 'push'],
    ['Email', 'email'],
    ['SMS', 'sms'],
    ['Unknown', undefined],
  ])('%s → %s', (type, channel) => {
    expect(oneSignalChannelOf(type)).toBe(channel);
  });

  it.each([
    [
      'push off disables every enabled push subscription',
      { push: 'unsubscribed' } as const,
      [['s-ios', false]],
    ],
    ['push on enables the disabled ones', { push: 'subscribed' } as const, [['s-chrome', true]]],
    [
      'email and sms off',
      { email: 'unsubscribed', sms: 'unsubscribed' } as const,
      [
        ['s-email', false],
        ['s-sms', false],
      ],
    ],
    ['already in the right state: no write', { email: 'subscribed', sms: 'subscribed' } as const, []],
    ['no known status: no write', {} as const, []],
  ])('%s', (_name, channels, expected) => {
    const requests = oneSignalUpdates(consent({ externalId: 'a', channels }), subs, config);
    expect(requests).toEqual(
      expected.map(([id, enabled]) => ({
        method: 'PATCH',
        path: `/apps/app-1/subscriptions/${id}`,
        body: { subscription: { enabled } },
      })),
    );
  });

  it('parses subscriptions, ignoring malformed entries', () => {
    const body = {
      subscriptions: [
        { id: 'x', type: 'Email', enabled: true, token: 'a@x.com' },
        { id: 1, type: 'SMS' },
        { type: 'SMS' },
      ],
    };
    expect(parseOneSignalSubscriptions(body)).toEqual([{ id: 'x', type: 'Email', enabled: true }]);
    expect(parseOneSignalSubscriptions({})).toEqual([]);
  });

  it('view: a channel is subscribed if any of its subscriptions is enabled', () => {
    expect(oneSignalViewOf(subs)).toEqual({ push: 'subscribed', email: 'subscribed', sms: 'subscribed' });
    expect(oneSignalViewOf([{ id: 'a', type: 'ChromePush', enabled: false }])).toEqual({
      push: 'unsubscribed',
    });
  });
});

describe('OneSignal topic tags', () => {
  const config = { appId: 'app', topicTags: { 'product-updates': 'topic_product_updates' } };
  const withTopic = (status: 'subscribed' | 'unsubscribed', effective: 'subscribed' | 'unsubscribed') =>
    consent({ externalId: 'x', topics: { push: [{ topic: 'product-updates', status, effective }] } });

  it.each([
    ['subscribed', 'subscribed', {}, { topic_product_updates: '1' }],
    ['subscribed', 'unsubscribed', { topic_product_updates: '1' }, { topic_product_updates: '' }],
    ['unsubscribed', 'unsubscribed', { topic_product_updates: '1' }, { topic_product_updates: '' }],
  ] as const)('own %s, effective %s, tags %j → %j', (status, effective, tags, changes) => {
    expect(oneSignalTagUpdate(withTopic(status, effective), tags, config)).toEqual({
      method: 'PATCH',
      path: '/apps/app/users/by/external_id/x',
      body: { properties: { tags: changes } },
    });
  });

  it('writes nothing when every tag already holds, and reads only string tags', () => {
    expect(oneSignalTagUpdate(withTopic('unsubscribed', 'unsubscribed'), {}, config)).toBeUndefined();
    expect(
      oneSignalTagUpdate(withTopic('subscribed', 'subscribed'), { topic_product_updates: '1' }, config),
    ).toBeUndefined();
    expect(parseOneSignalTags({ properties: { tags: { a: '1', b: 2 } } })).toEqual({ a: '1' });
    expect(parseOneSignalTags({})).toEqual({});
  });
});
