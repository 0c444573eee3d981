import { isRecord, quote, typeName, type JsonObject } from '../guards';
import { CONSENT_CHANNELS, CONSENT_STATUSES, type ConsentChannel, type ConsentStatus } from '../inbound-fact';
import { parseIso8601 } from '../normalize/time';
import { fail, ok, type Result } from '../result';
import { optionalBoolean } from './fields';
import type { MapperContext, RejectionCode } from './map-result';

/** One consent statement read from identify traits; `occurredAt` is set when the trait dates it. */
export type TraitConsent = {
  readonly trait: string;
  readonly channel: ConsentChannel;
  readonly status: ConsentStatus;
  readonly occurredAt?: number;
  /** A catalogue topic of the channel (from `<channel>_topics`); absent: the whole channel. */
  readonly topic?: string;
};

type Found = Result<TraitConsent | undefined, RejectionCode>;

/**
 * The contact data model of docs/ingestion-gateway.md ("Identify traits"):
 * - `email_subscribed_status`, `sms_subscribed_status`: `"subscribed"`/`"unsubscribed"` or a boolean;
 * - `push_notification_enabled`: a boolean, a push preference change (the person's wish; the track event
 *   `Push Notification Permission Changed` reports the device setting instead);
 * - `email_opt_in_date`, `sms_opt_in_date`: ISO 8601, an opt-in at that time. Used only when the
 *   channel's status trait is absent: a status says what holds now, and a stale opt-in date sent next
 *   to an opt-out must never turn it into a subscription;
 * - `email_topics`, `sms_topics`, `push_topics`: an object of catalogue topic id → the same values as a
 *   status trait, one topic choice each (`{"newsletter": true, "promotions": "unsubscribed"}`).
 * Every one is a snapshot (the gateway marks it so): apps resend cached traits on every identify.
 */
export const traitConsent = (
  traits: JsonObject,
  ctx: MapperContext,
): Result<readonly TraitConsent[], RejectionCode> => {
  const found: TraitConsent[] = [];
  for (const channel of ['email', 'sms'] as const) {
    const status = subscribedStatus(traits, `${channel}_subscribed_status`, channel);
    if (!status.ok) return status;
    const optIn =
      status.value === undefined ? optInDate(traits, `${channel}_opt_in_date`, channel) : ok(undefined);
    if (!optIn.ok) return optIn;
    for (const c of [status.value, optIn.value]) if (c !== undefined) found.push(c);
  }
  for (const channel of CONSENT_CHANNELS) {
    const topics = topicTraits(traits, channel, ctx);
    if (!topics.ok) return topics;
    found.push(...topics.value);
  }
  const push = optionalBoolean(traits['push_notification_enabled'], 'traits.push_notification_enabled');
  if (!push.ok) return push;
  if (push.value !== undefined) {
    found.push({
      trait: 'push_notification_enabled',
      channel: 'push',
      status: push.value ? 'subscribed' : 'unsubscribed',
    });
  }
  return ok(found);
};

const subscribedStatus = (traits: JsonObject, trait: string, channel: ConsentChannel): Found => {
  const value = traits[trait];
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value === 'boolean')
    return ok({ trait, channel, status: value ? 'subscribed' : 'unsubscribed' });
  const status = CONSENT_STATUSES.find((s) => s === value);
  if (status !== undefined) return ok({ trait, channel, status });
  const got = typeof value === 'string' ? quote(value) : typeName(value);
  return fail(
    'INVALID_FIELD',
    `traits.${trait} must be true, false, ${CONSENT_STATUSES.map((s) => `"${s}"`).join(' or ')}; got ${got}`,
  );
};

const optInDate = (traits: JsonObject, trait: string, channel: ConsentChannel): Found => {
  const value = traits[trait];
  if (value === undefined || value === null) return ok(undefined);
  const at = parseIso8601(value);
  if (!at.ok) return fail(at.code, `traits.${trait}: ${at.reason}`);
  return ok({ trait, channel, status: 'subscribed', occurredAt: at.value });
};

const topicTraits = (
  traits: JsonObject,
  channel: ConsentChannel,
  ctx: MapperContext,
): Result<readonly TraitConsent[], RejectionCode> => {
  const trait = `${channel}_topics`;
  const value = traits[trait];
  if (value === undefined || value === null) return ok([]);
  if (!isRecord(value))
    return fail('INVALID_FIELD', `traits.${trait} must be an object; got ${typeName(value)}`);
  const found: TraitConsent[] = [];
  for (const topic of Object.keys(value)) {
    if (ctx.topicOfChannel?.(topic, channel) !== true)
      return fail(
        'UNKNOWN_TOPIC',
        `traits.${trait}: ${quote(topic)} is no ${channel} topic of the catalogue`,
      );
    const status = subscribedStatus(value, topic, channel);
    if (!status.ok)
      return fail(status.code, status.reason.replace(`traits.${topic}`, `traits.${trait}.${topic}`));
    // The fact's id derives from this trait name: one per topic, stable across retries.
    if (status.value !== undefined) found.push({ ...status.value, trait: `${trait}.${topic}`, topic });
  }
  return ok(found);
};
