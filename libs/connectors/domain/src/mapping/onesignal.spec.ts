import { consent } from '../testing/consent';
import {
  oneSignalChannelOf,
  oneSignalLookup,
  oneSignalUpdates,
  oneSignalViewOf,
  parseOneSignalSubscriptions,
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
