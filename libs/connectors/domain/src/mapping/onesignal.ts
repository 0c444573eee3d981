import type { Channel, ConsentStatus, ContactConsent } from '../consent';
import type { HttpRequest } from '../http';
import { channelFingerprint, enc } from './common';

export interface OneSignalMappingConfig {
  readonly appId: string;
}

export interface OneSignalSubscription {
  readonly id: string;
  readonly type: string;
  readonly enabled: boolean;
}

const PUSH_TYPES = new Set([
  'iOSPush',
  'AndroidPush',
  'HuaweiPush',
  'FireOSPush',
  'WindowsPush',
  'macOSPush',
  'ChromeExtensionPush',
  'ChromePush',
  'FirefoxPush',
  'SafariPush',
]);

/** Which of our channels a OneSignal subscription type carries; unknown future types → none. */
export function oneSignalChannelOf(type: string): Channel | undefined {
  if (PUSH_TYPES.has(type)) return 'push';
  if (type === 'Email') return 'email';
  if (type === 'SMS') return 'sms';
  return undefined;
}

export const oneSignalFingerprint = (consent: ContactConsent): string =>
  channelFingerprint(consent, ['email', 'sms', 'push']);

export const oneSignalLookup = (externalId: string, config: OneSignalMappingConfig): HttpRequest => ({
  method: 'GET',
  path: `/apps/${enc(config.appId)}/users/by/external_id/${enc(externalId)}`,
});

/** Subscriptions of a "view user" answer; malformed entries are ignored (never guessed). */
export function parseOneSignalSubscriptions(body: unknown): OneSignalSubscription[] {
  const subs = ((body ?? {}) as Record<string, unknown>)['subscriptions'];
  if (!Array.isArray(subs)) return [];
  return (subs as Record<string, unknown>[]).flatMap((s) =>
    typeof s['id'] === 'string' && typeof s['type'] === 'string'
      ? [{ id: s['id'], type: s['type'], enabled: s['enabled'] === true }]
      : [],
  );
}

/**
 * One PATCH per subscription whose channel has a known status and whose `enabled` differs: a
 * subscription already in the right state costs no write (OneSignal allows 1 write/s per user).
 */
export function oneSignalUpdates(
  consent: ContactConsent,
  subscriptions: readonly OneSignalSubscription[],
  config: OneSignalMappingConfig,
): HttpRequest[] {
  return subscriptions.flatMap((sub) => {
    const channel = oneSignalChannelOf(sub.type);
    const status = channel ? consent.channels[channel] : undefined;
    const enabled = status === 'subscribed';
    if (!status || sub.enabled === enabled) return [];
    return [
      {
        method: 'PATCH',
        path: `/apps/${enc(config.appId)}/subscriptions/${enc(sub.id)}`,
        body: { subscription: { enabled } },
      } satisfies HttpRequest,
    ];
  });
}

/** A channel is subscribed if any of its subscriptions is enabled, unsubscribed if all are disabled. */
export function oneSignalViewOf(
  subscriptions: readonly OneSignalSubscription[],
): Partial<Record<Channel, ConsentStatus>> {
  const view: Partial<Record<Channel, ConsentStatus>> = {};
  for (const sub of subscriptions) {
    const channel = oneSignalChannelOf(sub.type);
    if (channel && view[channel] !== 'subscribed')
      view[channel] = sub.enabled ? 'subscribed' : 'unsubscribed';
  }
  return view;
}
