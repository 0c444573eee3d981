import type { Channel, ConsentStatus, ContactConsent } from '../consent';
import type { DeliveryPlan, HttpRequest, PlannedRequest, SkippedContact } from '../http';
import { channelFingerprint, chunk, representedTopics } from './common';

export interface BrazeMappingConfig {
  /** SMS consent lives in a subscription group; without one SMS is not represented on Braze. */
  readonly smsSubscriptionGroupId?: string;
  /** Catalogue topic id → the Braze subscription group that represents it (email or SMS). */
  readonly topicGroups?: Readonly<Record<string, string>>;
}

/** Braze's current limit: 75 objects (attributes + events + purchases) per /users/track request. */
export const BRAZE_MAX_BATCH = 75;

const channelsOf = (config: BrazeMappingConfig): Channel[] =>
  config.smsSubscriptionGroupId ? ['email', 'sms', 'push'] : ['email', 'push'];

/** Without an SMS group only SMS topic groups are represented: they are appended when there are some. */
export const brazeFingerprint = (consent: ContactConsent, config: BrazeMappingConfig): string => {
  const base = channelFingerprint(consent, channelsOf(config));
  const smsTopics = config.smsSubscriptionGroupId
    ? []
    : representedTopics(consent, 'sms', config.topicGroups);
  return smsTopics.length === 0
    ? base
    : `${base}|sms-topics[${smsTopics.map(([t]) => `${t.topic}=${t.effective}`).join(',')}]`;
};

/** `opted_in` = explicitly in (Braze's `subscribed` means "neither"), `unsubscribed` = explicitly out. */
const globalState = (status: ConsentStatus): string =>
  status === 'subscribed' ? 'opted_in' : 'unsubscribed';

export interface BrazeAttributes {
  readonly external_id: string;
  readonly email_subscribe?: string;
  readonly push_subscribe?: string;
  readonly subscription_groups?: readonly {
    subscription_group_id: string;
    subscription_state: ConsentStatus;
  }[];
}

/**
 * One attributes object per contact, keyed by external_id (no address needed); channels without a
 * known status are OMITTED — sending `null` would erase Braze's own value. Subscription-group states
 * are only `subscribed|unsubscribed` (there is no `opted_in` for groups).
 */
export function brazeAttributes(
  contact: ContactConsent,
  config: BrazeMappingConfig,
): BrazeAttributes | undefined {
  const { email, push, sms } = contact.channels;
  const group = config.smsSubscriptionGroupId;
  const groups = [
    ...(sms && group ? [{ subscription_group_id: group, subscription_state: sms }] : []),
    ...topicGroupStates(contact, config),
  ];
  if (!email && !push && groups.length === 0) return undefined;
  return {
    external_id: contact.externalId,
    ...(email ? { email_subscribe: globalState(email) } : {}),
    ...(push ? { push_subscribe: globalState(push) } : {}),
    ...(groups.length > 0 ? { subscription_groups: groups } : {}),
  };
}

/**
 * Topic groups: an email topic from its OWN status — Braze's global `email_subscribe: unsubscribed`
 * overrides every email group, so a group resubscribe during a global opt-out still sends nothing; an
 * SMS topic from its EFFECTIVE status — Braze has no global SMS state, the group is all there is. A group
 * named by both channels' entries is unsubscribed if either is; the SMS channel group keeps the
 * channel-wide choice (a topic never lifts it).
 */
function topicGroupStates(
  contact: ContactConsent,
  config: BrazeMappingConfig,
): { subscription_group_id: string; subscription_state: ConsentStatus }[] {
  const states = new Map<string, ConsentStatus>();
  const add = (id: string, state: ConsentStatus) =>
    states.set(id, states.get(id) === 'unsubscribed' ? 'unsubscribed' : state);
  for (const [topic, id] of representedTopics(contact, 'email', config.topicGroups)) add(id, topic.status);
  for (const [topic, id] of representedTopics(contact, 'sms', config.topicGroups)) add(id, topic.effective);
  if (contact.channels.sms && config.smsSubscriptionGroupId) states.delete(config.smsSubscriptionGroupId);
  return [...states].map(([subscription_group_id, subscription_state]) => ({
    subscription_group_id,
    subscription_state,
  }));
}

/** `PlannedRequest.contacts[i]` is the owner of `attributes[i]` (Braze reports errors by index). */
export function planBraze(batch: readonly ContactConsent[], config: BrazeMappingConfig): DeliveryPlan {
  const skipped: SkippedContact[] = [];
  const sendable: [ContactConsent, BrazeAttributes][] = [];
  for (const contact of batch) {
    const attributes = brazeAttributes(contact, config);
    if (attributes) sendable.push([contact, attributes]);
    else skipped.push({ contact, reason: 'no consent Braze can represent' });
  }
  const requests = chunk(sendable, BRAZE_MAX_BATCH).map(
    (part): PlannedRequest => ({
      request: { method: 'POST', path: '/users/track', body: { attributes: part.map(([, a]) => a) } },
      contacts: part.map(([c]) => c),
    }),
  );
  return { requests, skipped };
}

/**
 * `{"message":"success","errors":[{type, input_array, index}]}` is a PARTIAL success: the objects
 * named by index were refused. Returns refused indexes of `attributes` with their error text.
 */
export function brazeRejectedIndexes(body: unknown): Map<number, string> {
  const errors = ((body ?? {}) as Record<string, unknown>)['errors'];
  const rejected = new Map<number, string>();
  if (!Array.isArray(errors)) return rejected;
  for (const error of errors as Record<string, unknown>[]) {
    const index = error['index'];
    const array = error['input_array'];
    if (typeof index === 'number' && (array === undefined || array === 'attributes')) {
      rejected.set(index, String(error['type'] ?? 'rejected'));
    }
  }
  return rejected;
}

export function brazeReadRequest(externalId: string): HttpRequest {
  return {
    method: 'POST',
    path: '/users/export/ids',
    body: {
      external_ids: [externalId],
      fields_to_export: ['external_id', 'email_subscribe', 'push_subscribe', 'subscription_groups'],
    },
  };
}

const fromGlobal = (value: unknown): ConsentStatus | undefined =>
  value === 'opted_in' ? 'subscribed' : value === 'unsubscribed' ? 'unsubscribed' : undefined;

/** The exported user as our channels, or undefined when Braze has no such user. */
export function brazeViewOf(
  body: unknown,
  config: BrazeMappingConfig,
): Partial<Record<Channel, ConsentStatus>> | undefined {
  const users = ((body ?? {}) as Record<string, unknown>)['users'];
  const user = Array.isArray(users) ? (users[0] as Record<string, unknown> | undefined) : undefined;
  if (!user) return undefined;
  const view: Partial<Record<Channel, ConsentStatus>> = {};
  const email = fromGlobal(user['email_subscribe']);
  const push = fromGlobal(user['push_subscribe']);
  const sms = smsGroupState(user['subscription_groups'], config.smsSubscriptionGroupId);
  if (email) view.email = email;
  if (push) view.push = push;
  if (sms) view.sms = sms;
  return view;
}

function smsGroupState(groups: unknown, groupId: string | undefined): ConsentStatus | undefined {
  if (!groupId || !Array.isArray(groups)) return undefined;
  const group = (groups as Record<string, unknown>[]).find(
    (g) => String(g['id'] ?? g['subscription_group_id']) === groupId,
  );
  const state = group?.['status'] ?? group?.['subscription_state'];
  const text = typeof state === 'string' ? state.toLowerCase() : undefined;
  return text === 'subscribed' ? 'subscribed' : text === 'unsubscribed' ? 'unsubscribed' : undefined;
}
