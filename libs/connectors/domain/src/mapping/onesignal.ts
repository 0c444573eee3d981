import type { Channel, ConsentStatus, ContactConsent } from '../consent';
import type { HttpRequest } from '../http';
import { channelFingerprint, enc, representedTopics } from './common';

export interface OneSignalMappingConfig {
  readonly appId: string;
  /** Catalogue topic id → the data tag key that represents it on the user ("1" in, removed when out). */
  readonly topicTags?: Readonly<Record<string, string>>;
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

/** The data tags of a "view user" answer (`properties.tags`); non-string values are ignored. */
export function parseOneSignalTags(body: unknown): Readonly<Record<string, string>> {
  const properties = ((body ?? {}) as Record<string, unknown>)['properties'];
  const tags = ((properties ?? {}) as Record<string, unknown>)['tags'];
  if (typeof tags !== 'object' || tags === null) return {};
  return Object.fromEntries(Object.entries(tags).filter(([, v]) => typeof v === 'string')) as Record<
    string,
    string
  >;
}

/**
 * One user PATCH setting each push topic's tag from its EFFECTIVE status: "1" while in, "" (OneSignal
 * removes a tag set to an empty string) while out — so a topic resubscribe never lifts a push opt-out.
 * Undefined when every tag already holds: a write costs one of the user's 1 write/s.
 */
export function oneSignalTagUpdate(
  consent: ContactConsent,
  tags: Readonly<Record<string, string>>,
  config: OneSignalMappingConfig,
): HttpRequest | undefined {
  const changes: Record<string, string> = {};
  for (const [topic, key] of representedTopics(consent, 'push', config.topicTags)) {
    const wanted = topic.effective === 'subscribed' ? '1' : '';
    if ((tags[key] ?? '') !== wanted) changes[key] = wanted;
  }
  if (Object.keys(changes).length === 0) return undefined;
  return {
    method: 'PATCH',
    path: `/apps/${enc(config.appId)}/users/by/external_id/${enc(consent.externalId)}`,
    body: { properties: { tags: changes } },
  };
}
