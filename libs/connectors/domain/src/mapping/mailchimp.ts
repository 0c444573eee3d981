import { createHash } from 'node:crypto';
import type { Channel, ConsentStatus, ContactConsent } from '../consent';
import type { DeliveryPlan, HttpRequest } from '../http';
import { channelFingerprint, enc, knownChannels, planPerContact } from './common';

export interface MailchimpMappingConfig {
  readonly listId: string;
  /** Audience merge field (text) carrying SMS consent; must exist in the audience. */
  readonly smsMergeTag?: string;
  /** Audience merge field (text) carrying push consent; must exist in the audience. */
  readonly pushMergeTag?: string;
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
    if (knownChannels(contact, ['email', 'sms', 'push']).length === 0) return 'no consent to represent';
    return [{ request: upsert(contact, contact.email, config), contacts: [contact] }];
  });
}

function upsert(contact: ContactConsent, email: string, config: MailchimpMappingConfig): HttpRequest {
  const status = contact.channels.email;
  const mergeFields = mergeFieldsOf(contact, config);
  const body = {
    email_address: email,
    // Unknown email consent: a NEW member must not become a marketing subscriber, so it is created
    // "transactional"; an existing member keeps its status because `status` is left out.
    status_if_new: status ?? 'transactional',
    ...(status ? { status } : {}),
    ...(Object.keys(mergeFields).length > 0 ? { merge_fields: mergeFields } : {}),
  };
  return { method: 'PUT', path: mailchimpMemberPath(config, email), body };
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
