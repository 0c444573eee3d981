import { createHash } from 'node:crypto';
import type { Channel, ConsentStatus, ContactConsent } from '../consent';
import type { DeliveryPlan, HttpRequest } from '../http';
import { channelFingerprint, enc, knownChannels, planPerContact, representedTopics } from './common';

export interface MailchimpMappingConfig {
  readonly listId: string;
  /** Audience merge field (text) carrying SMS consent; must exist in the audience. */
  readonly smsMergeTag?: string;
  /** Audience merge field (text) carrying push consent; must exist in the audience. */
  readonly pushMergeTag?: string;
  /** Catalogue topic id → the audience interest (group) id that represents it. */
  readonly topicInterests?: Readonly<Record<string, string>>;
}

export const DEFAULT_SMS_MERGE_TAG = 'SMSSTATUS';
export const DEFAULT_PUSH_MERGE_TAG = 'PUSHSTATUS';

/** Mailchimp's member id: hex MD5 of the lower-cased, trimmed address. */
export function subscriberHash(email: string): string {
  return createHash('md5').update(email.trim().toLowerCase()).digest('hex');
}

/** Email status plus the other channels as merge fields: all three are represented. */
export const mailchimpFingerprint = (consent: ContactConsent): string =>
  channelFingerprint(consent, ['email', 'sms', 'push']);

export const mailchimpMemberPath = (config: MailchimpMappingConfig, email: string): string =>
  `/lists/${enc(config.listId)}/members/${subscriberHash(email)}`;

/** One upsert per contact: Mailchimp's batch endpoint is asynchronous and reports per-member errors late. */
export function planMailchimp(
  batch: readonly ContactConsent[],
  config: MailchimpMappingConfig,
): DeliveryPlan {
  return planPerContact(batch, (contact) => {
    if (!contact.email) return 'no email address';
    const topics = representedTopics(contact, 'email', config.topicInterests);
    if (knownChannels(contact, ['email', 'sms', 'push']).length === 0 && topics.length === 0)
      return 'no consent to represent';
    return [{ request: upsert(contact, contact.email, config), contacts: [contact] }];
  });
}

function upsert(contact: ContactConsent, email: string, config: MailchimpMappingConfig): HttpRequest {
  const status = contact.channels.email;
  const mergeFields = mergeFieldsOf(contact, config);
  const interests = interestsOf(contact, config);
  const body = {
    email_address: email,
    // Unknown email consent: a NEW member must not become a marketing subscriber, so it is created
    // "transactional"; an existing member keeps its status because `status` is left out.
    status_if_new: status ?? 'transactional',
    ...(status ? { status } : {}),
    ...(Object.keys(mergeFields).length > 0 ? { merge_fields: mergeFields } : {}),
    ...(Object.keys(interests).length > 0 ? { interests } : {}),
  };
  return { method: 'PUT', path: mailchimpMemberPath(config, email), body };
}

/**
 * Interest id → in or out, from each email topic's EFFECTIVE status: Mailchimp keeps interests of an
 * unsubscribed member, so a topic resubscribe during a channel-wide opt-out is written as out.
 */
function interestsOf(contact: ContactConsent, config: MailchimpMappingConfig): Record<string, boolean> {
  return Object.fromEntries(
    representedTopics(contact, 'email', config.topicInterests).map(([topic, id]) => [
      id,
      topic.effective === 'subscribed',
    ]),
  );
}

/**
 * A member who unsubscribed is in Mailchimp's "compliance state": a PUT/PATCH to `subscribed` is refused
 * (400, title "Member In Compliance State"). The supported way back is status `pending`, which makes
 * Mailchimp email its own confirmation; the member is subscribed only once they click it.
 */
export function isMailchimpComplianceRefusal(status: number | undefined, body: unknown): boolean {
  return (
    status === 400 && ((body ?? {}) as Record<string, unknown>)['title'] === 'Member In Compliance State'
  );
}

/** The same member write asking for `pending` instead of a refused `subscribed`; undefined for any other. */
export function mailchimpPendingInstead(request: HttpRequest): HttpRequest | undefined {
  const body = (request.body ?? {}) as Record<string, unknown>;
  if (request.method !== 'PUT' || body['status'] !== 'subscribed') return undefined;
  return { ...request, body: { ...body, status: 'pending' } };
}

function mergeFieldsOf(
  contact: ContactConsent,
  config: MailchimpMappingConfig,
): Record<string, ConsentStatus> {
  const tags = mergeTags(config);
  const fields: Record<string, ConsentStatus> = {};
  if (contact.channels.sms) fields[tags.sms] = contact.channels.sms;
  if (contact.channels.push) fields[tags.push] = contact.channels.push;
  return fields;
}

const mergeTags = (config: MailchimpMappingConfig): Record<Exclude<Channel, 'email'>, string> => ({
  sms: config.smsMergeTag ?? DEFAULT_SMS_MERGE_TAG,
  push: config.pushMergeTag ?? DEFAULT_PUSH_MERGE_TAG,
});

/** A member as our channels: subscribed/unsubscribed(/cleaned = unsubscribed); others are unknown. */
export function mailchimpViewOf(
  body: unknown,
  config: MailchimpMappingConfig,
): Partial<Record<Channel, ConsentStatus>> {
  const member = (body ?? {}) as Record<string, unknown>;
  const fields = (member['merge_fields'] ?? {}) as Record<string, unknown>;
  const tags = mergeTags(config);
  const view: Partial<Record<Channel, ConsentStatus>> = {};
  const email = asStatus(member['status'] === 'cleaned' ? 'unsubscribed' : member['status']);
  const sms = asStatus(fields[tags.sms]);
  const push = asStatus(fields[tags.push]);
  if (email) view.email = email;
  if (sms) view.sms = sms;
  if (push) view.push = push;
  return view;
}

export const asStatus = (value: unknown): ConsentStatus | undefined =>
  value === 'subscribed' || value === 'unsubscribed' ? value : undefined;

/**
 * Mailchimp answers 400 "… has signed up to a lot of lists very recently; we're not allowing more
 * signups for now" to fast re-subscribes: a throttle dressed as a rejection, so it is retried later
 * instead of dead-lettered.
 */
export function isMailchimpThrottle(status: number | undefined, body: unknown): boolean {
  if (status !== 400) return false;
  const detail = ((body ?? {}) as Record<string, unknown>)['detail'];
  return typeof detail === 'string' && /signed up to a lot of lists very recently/i.test(detail);
}
