import { isRecord, quote, typeName, type JsonObject } from '../guards';
import type { ConsentStatus } from '../inbound-fact';
import { parseUnixSeconds } from '../normalize/time';
import { preferenceChangeFact } from './facts';
import { requiredString } from './fields';
import { resolveIdentifiers } from './identifiers';
import { assertNever } from '../result';
import { factResult, ignored, rejection, type MapperContext, type MapResult } from './map-result';

type ConsentEvent = 'unsubscribe' | 'group_unsubscribe' | 'spamreport' | 'group_resubscribe';
const CONSENT_EVENTS: readonly ConsentEvent[] = [
  'unsubscribe',
  'group_unsubscribe',
  'spamreport',
  'group_resubscribe',
];
/** Delivery and engagement events: accepted and counted, never errors. */
export const SENDGRID_NON_CONSENT_EVENTS: readonly string[] = [
  'processed',
  'deferred',
  'delivered',
  'bounce',
  'dropped',
  'open',
  'click',
  'account_status_change',
];

/** SendGrid's `sg_event_id` is base64url and at most 100 characters. */
const MAX_SG_EVENT_ID = 100;

/**
 * Maps a SendGrid Event Webhook body (already JSON-parsed) to one result per event. `unsubscribe` and
 * `spamreport` are about all email; `group_unsubscribe` / `group_resubscribe` are about the catalogue
 * topic of their `asm_group_id` (docs/consent-model.md). A group unsubscribe of a group the catalogue
 * does not know stays a channel-wide unsubscribe (suppressing more is the safe side); a group
 * resubscribe of an unknown group is dead-lettered — it must never become a channel-wide opt-in.
 * SendGrid stamps whole seconds.
 */
export const mapSendgridEvents = (body: unknown, ctx: MapperContext): readonly MapResult[] => {
  if (!Array.isArray(body)) {
    return [
      rejection('INVALID_BODY', `SendGrid body must be a JSON array of events; got ${typeName(body)}`, body),
    ];
  }
  return body.map((event) => mapEvent(event, ctx));
};

const mapEvent = (event: unknown, ctx: MapperContext): MapResult => {
  if (!isRecord(event))
    return rejection('INVALID_EVENT', `each SendGrid event must be an object; got ${typeName(event)}`, event);
  const type = event['event'];
  if (typeof type !== 'string') {
    return rejection(
      type === undefined ? 'MISSING_FIELD' : 'INVALID_FIELD',
      `event must be a string; got ${typeName(type)}`,
      event,
    );
  }
  const consentEvent = CONSENT_EVENTS.find((c) => c === type);
  if (consentEvent !== undefined) return mapConsentEvent(consentEvent, event, ctx);
  if (SENDGRID_NON_CONSENT_EVENTS.includes(type))
    return ignored(`SendGrid "${type}" carries no consent change`, event);
  return rejection('UNKNOWN_EVENT_TYPE', `event ${quote(type)} is not a known SendGrid event type`, event);
};

const mapConsentEvent = (type: ConsentEvent, event: JsonObject, ctx: MapperContext): MapResult => {
  const ref = requiredString(event['sg_event_id'], 'sg_event_id', MAX_SG_EVENT_ID);
  if (!ref.ok) return rejection(ref.code, ref.reason, event);
  const occurredAt = parseUnixSeconds(event['timestamp']);
  if (!occurredAt.ok) return rejection(occurredAt.code, occurredAt.reason, event);
  if (event['email'] === undefined || event['email'] === null)
    return rejection('MISSING_FIELD', 'email is required', event);
  const identifiers = resolveIdentifiers(
    { email: { value: event['email'], path: 'email' } },
    ctx.defaultRegion,
  );
  if (!identifiers.ok) return rejection(identifiers.code, identifiers.reason, event);
  const [status, sourceOfChange] = consentChange(type);
  const topic = groupTopic(type, event, ctx);
  if (typeof topic === 'object' && topic !== null) return rejection(topic.code, topic.reason, event);
  const envelope = {
    system: 'sendgrid' as const,
    providerEventRef: ref.value,
    occurredAt: occurredAt.value,
    receivedAt: ctx.receivedAt,
    identifiers: identifiers.value,
    precision: 'second' as const,
  };
  return factResult(
    preferenceChangeFact(envelope, 'email', status, sourceOfChange, {
      topic,
      evidence: { strength: 'explicit', kind: evidenceKind(type), trust: 'server' },
    }),
  );
};

type GroupProblem = { readonly code: 'INVALID_FIELD' | 'UNKNOWN_TOPIC'; readonly reason: string };

const groupTopic = (
  type: ConsentEvent,
  event: JsonObject,
  ctx: MapperContext,
): string | null | GroupProblem => {
  if (type !== 'group_unsubscribe' && type !== 'group_resubscribe') return null;
  const groupId = event['asm_group_id'];
  if (typeof groupId !== 'number' || !Number.isInteger(groupId))
    return { code: 'INVALID_FIELD', reason: `asm_group_id must be an integer; got ${typeName(groupId)}` };
  const topic = ctx.sendgridGroupTopic?.(groupId);
  if (topic !== undefined) return topic;
  if (type === 'group_unsubscribe') return null;
  return {
    code: 'UNKNOWN_TOPIC',
    reason: `asm_group_id ${groupId} is no topic of the catalogue; a group resubscribe cannot be applied`,
  };
};

const evidenceKind = (type: ConsentEvent) => {
  switch (type) {
    case 'unsubscribe':
      return 'unsubscribe_link' as const;
    case 'spamreport':
      return 'spam_report' as const;
    case 'group_unsubscribe':
      return 'group_unsubscribe' as const;
    case 'group_resubscribe':
      return 'group_resubscribe' as const;
    default:
      return assertNever(type);
  }
};

const consentChange = (type: ConsentEvent): readonly [ConsentStatus, string] => {
  switch (type) {
    case 'unsubscribe':
    case 'group_unsubscribe':
      return ['unsubscribed', 'Email Unsubscribe Link'];
    case 'spamreport':
      return ['unsubscribed', 'Spam Report'];
    case 'group_resubscribe':
      return ['subscribed', 'Email Resubscribe Link'];
    default:
      return assertNever(type);
  }
};
