import type { Channel, ConsentStatus, ContactConsent } from '../consent';
import type { DeliveryPlan, HttpRequest, PlannedRequest } from '../http';
import { channelFingerprint, enc, planPerContact, representedTopics } from './common';

export interface AttentiveMappingConfig {
  /**
   * Forward re-subscribes too (ATTENTIVE_SEND_SUBSCRIBES). Default false: Attentive requires a legal
   * sign-up flow (TCPA double opt-in) for SMS, so by default we only forward opt-outs.
   */
  readonly sendSubscribes?: boolean;
  /** Sign-up source registered in Attentive, sent with subscribes (ASSUMPTION, see below). */
  readonly signUpSourceId?: string;
  /** Catalogue topic id → the Attentive subscription type that represents it on TEXT. */
  readonly topicTypes?: Readonly<Record<string, SubscriptionType>>;
}

type AttentiveChannel = 'TEXT' | 'EMAIL';
export type SubscriptionType = 'MARKETING' | 'TRANSACTIONAL';

/**
 * The TEXT status of each subscription type: MARKETING carries the channel-wide SMS choice, and a topic
 * its type from its EFFECTIVE status (a topic resubscribe never lifts an SMS STOP). Where several choices
 * land on one type — Attentive has no finer grain — an opt-out wins.
 */
export function attentiveTextTypes(
  contact: ContactConsent,
  config: AttentiveMappingConfig,
): ReadonlyMap<SubscriptionType, ConsentStatus> {
  const types = new Map<SubscriptionType, ConsentStatus>();
  const add = (type: SubscriptionType, status: ConsentStatus) =>
    types.set(type, types.get(type) === 'unsubscribed' ? 'unsubscribed' : status);
  if (contact.channels.sms) add('MARKETING', contact.channels.sms);
  for (const [topic, type] of representedTopics(contact, 'sms', config.topicTypes))
    add(type, topic.effective);
  return types;
}

export const attentiveFingerprint = (consent: ContactConsent): string =>
  channelFingerprint(consent, ['sms', 'email']);

interface User {
  phone?: string;
  email?: string;
}

/**
 * Per contact: one unsubscribe for its unsubscribed channels (TEXT needs the phone, EMAIL the email:
 * Attentive matches email only to email subscriptions and phone only to text ones) and, if enabled,
 * one subscribe for its subscribed channels.
 */
export function planAttentive(
  batch: readonly ContactConsent[],
  config: AttentiveMappingConfig,
): DeliveryPlan {
  return planPerContact(batch, (contact) => {
    if (!contact.phone && !contact.email) return 'no phone or email';
    const requests = [
      unsubscribe(contact, config),
      config.sendSubscribes ? subscribe(contact, config) : undefined,
    ];
    const planned = requests.flatMap((r): PlannedRequest[] =>
      r ? [{ request: r, contacts: [contact] }] : [],
    );
    if (planned.length > 0) return planned;
    return config.sendSubscribes
      ? 'no consent Attentive can represent'
      : 'only opt-outs are forwarded to Attentive';
  });
}

/** The MARKETING channels with `status` whose address we hold, with the user object naming those addresses. */
function channelsWith(
  contact: ContactConsent,
  status: ConsentStatus,
  config: AttentiveMappingConfig,
): [AttentiveChannel[], User] {
  const channels: AttentiveChannel[] = [];
  const user: User = {};
  if (attentiveTextTypes(contact, config).get('MARKETING') === status && contact.phone) {
    channels.push('TEXT');
    user.phone = contact.phone;
  }
  if (contact.channels.email === status && contact.email) {
    channels.push('EMAIL');
    user.email = contact.email;
  }
  return [channels, user];
}

function unsubscribe(contact: ContactConsent, config: AttentiveMappingConfig): HttpRequest | undefined {
  const subscriptions = [
    ...(contact.phone
      ? [...attentiveTextTypes(contact, config)]
          .filter(([, status]) => status === 'unsubscribed')
          .map(([type]) => ({ type, channel: 'TEXT' as AttentiveChannel }))
      : []),
    ...(contact.channels.email === 'unsubscribed' && contact.email
      ? [{ type: 'MARKETING' as SubscriptionType, channel: 'EMAIL' as AttentiveChannel }]
      : []),
  ];
  if (subscriptions.length === 0) return undefined;
  const user: User = {
    ...(contact.phone ? { phone: contact.phone } : {}),
    ...(contact.email ? { email: contact.email } : {}),
  };
  return {
    method: 'POST',
    path: '/v1/subscriptions/unsubscribe',
    body: {
      user,
      subscriptions,
      // The change came from another channel (an email link, the app, our API): Attentive would
      // otherwise TEXT the person an opt-out confirmation they never asked for, from a number they
      // may never have texted — confusing at best, an unsolicited message at worst.
      notification: { disabled: true },
    },
  };
}

/**
 * ASSUMPTION: Attentive's subscribe API (`POST /v1/subscriptions`) is not in our verified reference;
 * the shape follows Attentive's public docs as we understand them: the user's addresses decide which
 * channels are subscribed, so only the addresses of SUBSCRIBED channels are sent.
 */
function subscribe(contact: ContactConsent, config: AttentiveMappingConfig): HttpRequest | undefined {
  const [channels, user] = channelsWith(contact, 'subscribed', config);
  if (channels.length === 0) return undefined;
  const source = config.signUpSourceId ? { signUpSourceId: config.signUpSourceId } : {};
  return {
    method: 'POST',
    path: '/v1/subscriptions',
    body: { user, subscriptionType: 'MARKETING', ...source },
  };
}

export function attentiveReadRequest(ref: { phone?: string; email?: string }): HttpRequest {
  const query = [ref.phone ? `phone=${enc(ref.phone)}` : '', ref.email ? `email=${enc(ref.email)}` : '']
    .filter(Boolean)
    .join('&');
  return { method: 'GET', path: `/v1/subscriptions?${query}` };
}

/**
 * ASSUMPTION (shape not in our reference): `{subscriptionEligibilities|subscriptions:[{type, channel,
 * status|subscribed}]}`; MARKETING entries only. TEXT → sms, EMAIL → email.
 */
export function attentiveViewOf(body: unknown): Partial<Record<Channel, ConsentStatus>> {
  const record = (body ?? {}) as Record<string, unknown>;
  const list = record['subscriptions'] ?? record['subscriptionEligibilities'];
  const view: Partial<Record<Channel, ConsentStatus>> = {};
  if (!Array.isArray(list)) return view;
  for (const entry of list as Record<string, unknown>[]) {
    const channel = entry['channel'] === 'TEXT' ? 'sms' : entry['channel'] === 'EMAIL' ? 'email' : undefined;
    const status = subscriptionStatus(entry);
    if (channel && status && (entry['type'] ?? 'MARKETING') === 'MARKETING') view[channel] = status;
  }
  return view;
}

function subscriptionStatus(entry: Record<string, unknown>): ConsentStatus | undefined {
  if (typeof entry['subscribed'] === 'boolean') return entry['subscribed'] ? 'subscribed' : 'unsubscribed';
  const status = String(entry['status'] ?? '').toLowerCase();
  return status === 'subscribed' ? 'subscribed' : status === 'unsubscribed' ? 'unsubscribed' : undefined;
}
