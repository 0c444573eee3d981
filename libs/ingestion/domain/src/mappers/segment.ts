import { contentEventRef, derivedEventRef } from '../event-id';
import { isRecord, quote, typeName, type JsonObject } from '../guards';
import {
  CONSENT_CHANNELS,
  CONSENT_STATUSES,
  type ConsentChannel,
  type ConsentStatus,
  type ContactInbound,
} from '../inbound-fact';
import { parseIso8601 } from '../normalize/time';
import { assertNever, fail, ok, type Result } from '../result';
import { identifyFact, preferenceChangeFact, pushPermissionChangeFact, type FactEnvelope } from './facts';
import {
  optionalBoolean,
  optionalObject,
  optionalOneOf,
  optionalString,
  requiredBoolean,
  requiredObject,
  requiredOneOf,
  requiredString,
} from './fields';
import { resolveIdentifiers } from './identifiers';
import {
  factResult,
  ignored,
  rejection,
  type MapperContext,
  type MapResult,
  type RejectionCode,
} from './map-result';

/** Segment's HTTP API limits, enforced by the caller on raw bytes before parsing. */
export const SEGMENT_MAX_EVENT_BYTES = 32 * 1024;
export const SEGMENT_MAX_BATCH_BYTES = 500 * 1024;
export const SEGMENT_MAX_BATCH_EVENTS = 2500;

export const MARKETING_PREFERENCE_UPDATED = 'Marketing Preference Updated';
export const PUSH_PERMISSION_CHANGED = 'Push Notification Permission Changed';
/** sourceOfChange for consent read from identify traits, and the push default when none is given. */
export const SEGMENT_TRAIT_SOURCE_OF_CHANGE = 'Segment Identify Traits';
export const DEFAULT_PUSH_SOURCE_OF_CHANGE = 'Mobile App Settings';

export type SegmentCallType = 'identify' | 'track';
/** Other Segment call types are valid but carry no consent; they are counted as ignored. */
const NON_CONSENT_TYPES: readonly string[] = ['page', 'screen', 'group', 'alias'];

type Mapped = Result<readonly ContactInbound[], RejectionCode>;

/** `POST /v1/identify` and `POST /v1/track`: the endpoint names the call type. */
export const mapSegmentCall = (
  type: SegmentCallType,
  body: unknown,
  ctx: MapperContext,
): readonly MapResult[] => {
  if (!isRecord(body))
    return [
      rejection('INVALID_BODY', `Segment ${type} body must be a JSON object; got ${typeName(body)}`, body),
    ];
  return toResults(mapCall(type, body, undefined, ctx), body);
};

/** `POST /v1/batch`: `{batch: [...], context?}`; each item names its `type`; results in item order. */
export const mapSegmentBatch = (body: unknown, ctx: MapperContext): readonly MapResult[] => {
  if (!isRecord(body))
    return [
      rejection('INVALID_BODY', `Segment batch body must be a JSON object; got ${typeName(body)}`, body),
    ];
  const batch = body['batch'];
  if (!Array.isArray(batch))
    return [rejection('INVALID_BODY', `batch must be an array; got ${typeName(batch)}`, body)];
  const sharedContext = isRecord(body['context']) ? body['context'] : undefined;
  return batch.flatMap((item) => mapBatchItem(item, sharedContext, ctx));
};

const mapBatchItem = (
  item: unknown,
  sharedContext: JsonObject | undefined,
  ctx: MapperContext,
): readonly MapResult[] => {
  if (!isRecord(item))
    return [rejection('INVALID_EVENT', `each batch item must be an object; got ${typeName(item)}`, item)];
  const type = item['type'];
  if (type === 'identify' || type === 'track')
    return toResults(mapCall(type, item, sharedContext, ctx), item);
  if (typeof type === 'string' && NON_CONSENT_TYPES.includes(type))
    return [ignored(`Segment "${type}" call carries no consent`, item)];
  if (type === undefined || type === null)
    return [rejection('MISSING_FIELD', 'type is required in batch items', item)];
  const got = typeof type === 'string' ? quote(type) : typeName(type);
  return [
    rejection(
      'UNKNOWN_EVENT_TYPE',
      `type must be one of identify, track, ${NON_CONSENT_TYPES.join(', ')}; got ${got}`,
      item,
    ),
  ];
};

const toResults = (mapped: Mapped | 'ignored', original: JsonObject): readonly MapResult[] => {
  if (mapped === 'ignored')
    return [ignored(`track event ${quote(String(original['event']))} carries no consent`, original)];
  return mapped.ok ? mapped.value.map(factResult) : [rejection(mapped.code, mapped.reason, original)];
};

const mapCall = (
  type: SegmentCallType,
  call: JsonObject,
  sharedContext: JsonObject | undefined,
  ctx: MapperContext,
): Mapped | 'ignored' => {
  switch (type) {
    case 'identify':
      return mapIdentify(call, sharedContext, ctx);
    case 'track':
      return mapTrack(call, sharedContext, ctx);
    default:
      return assertNever(type);
  }
};

// ---- identify -------------------------------------------------------------------------------------

const mapIdentify = (call: JsonObject, sharedContext: JsonObject | undefined, ctx: MapperContext): Mapped => {
  const traits = optionalObject(call['traits'], 'traits');
  if (!traits.ok) return traits;
  const envelope = buildEnvelope(call, traits.value, sharedContext, ctx);
  if (!envelope.ok) return envelope;
  const consent = traitConsent(traits.value);
  if (!consent.ok) return consent;
  const e = envelope.value;
  const derived = (trait: string): FactEnvelope => ({
    ...e,
    providerEventRef: derivedEventRef(e.providerEventRef, trait),
  });
  return ok([
    identifyFact(e, JSON.stringify(traits.value)),
    ...consent.value.map((c) =>
      preferenceChangeFact(derived(c.trait), c.channel, c.status, SEGMENT_TRAIT_SOURCE_OF_CHANGE),
    ),
  ]);
};

type TraitConsent = {
  readonly trait: string;
  readonly channel: ConsentChannel;
  readonly status: ConsentStatus;
};

/**
 * Consent traits. `push_notification_enabled` becomes a push preference change (not a permission
 * change): a trait states the person's wish, whereas the track event reports the device setting.
 */
const traitConsent = (traits: JsonObject): Result<readonly TraitConsent[], RejectionCode> => {
  const email = optionalOneOf(
    traits['email_subscribed_status'],
    'traits.email_subscribed_status',
    CONSENT_STATUSES,
  );
  if (!email.ok) return email;
  const sms = optionalOneOf(
    traits['sms_subscribed_status'],
    'traits.sms_subscribed_status',
    CONSENT_STATUSES,
  );
  if (!sms.ok) return sms;
  const push = optionalBoolean(traits['push_notification_enabled'], 'traits.push_notification_enabled');
  if (!push.ok) return push;
  const found: TraitConsent[] = [];
  if (email.value !== undefined)
    found.push({ trait: 'email_subscribed_status', channel: 'email', status: email.value });
  if (sms.value !== undefined)
    found.push({ trait: 'sms_subscribed_status', channel: 'sms', status: sms.value });
  if (push.value !== undefined) {
    found.push({
      trait: 'push_notification_enabled',
      channel: 'push',
      status: push.value ? 'subscribed' : 'unsubscribed',
    });
  }
  return ok(found);
};

// ---- track ----------------------------------------------------------------------------------------

const mapTrack = (
  call: JsonObject,
  sharedContext: JsonObject | undefined,
  ctx: MapperContext,
): Mapped | 'ignored' => {
  const event = requiredString(call['event'], 'event', 200);
  if (!event.ok) return event;
  if (event.value !== MARKETING_PREFERENCE_UPDATED && event.value !== PUSH_PERMISSION_CHANGED)
    return 'ignored';
  const properties = requiredObject(call['properties'], 'properties');
  if (!properties.ok) return properties;
  const envelope = buildEnvelope(call, null, sharedContext, ctx);
  if (!envelope.ok) return envelope;
  return event.value === MARKETING_PREFERENCE_UPDATED
    ? mapPreferenceUpdated(properties.value, envelope.value)
    : mapPushPermission(properties.value, envelope.value);
};

/** Track properties map one to one: channel, new_status, source_of_change, timestamp (when the person acted). */
const mapPreferenceUpdated = (p: JsonObject, e: FactEnvelope): Mapped => {
  const channel = requiredOneOf(p['channel'], 'properties.channel', CONSENT_CHANNELS);
  if (!channel.ok) return channel;
  const status = requiredOneOf(p['new_status'], 'properties.new_status', CONSENT_STATUSES);
  if (!status.ok) return status;
  const source = requiredString(p['source_of_change'], 'properties.source_of_change', 200);
  if (!source.ok) return source;
  const occurredAt = optionalTime(p['timestamp'], 'properties.timestamp');
  if (!occurredAt.ok) return occurredAt;
  const envelope = { ...e, occurredAt: occurredAt.value ?? e.occurredAt };
  return ok([preferenceChangeFact(envelope, channel.value, status.value, source.value.trim())]);
};

const mapPushPermission = (p: JsonObject, e: FactEnvelope): Mapped => {
  const enabled = requiredBoolean(p['enabled'], 'properties.enabled');
  if (!enabled.ok) return enabled;
  const source = optionalString(p['source_of_change'], 'properties.source_of_change', 200);
  if (!source.ok) return source;
  return ok([
    pushPermissionChangeFact(e, enabled.value, source.value?.trim() ?? DEFAULT_PUSH_SOURCE_OF_CHANGE),
  ]);
};

// ---- shared ---------------------------------------------------------------------------------------

/**
 * Identifiers: userId → externalId, anonymousId, email and phone from `traits` (identify) or
 * `context.traits` (any call; the Segment email spec puts the address there).
 * occurredAt: `timestamp`, else `originalTimestamp`, else receivedAt — Segment itself sets a missing
 * timestamp to its receive time.
 * Event ref: `messageId`; when a hand-written client omits it, a hash of the call's own JSON, so an
 * identical retry still collapses.
 */
const buildEnvelope = (
  call: JsonObject,
  traits: JsonObject | null,
  sharedContext: JsonObject | undefined,
  ctx: MapperContext,
): Result<FactEnvelope, RejectionCode> => {
  const userId = call['userId'];
  const anonymousId = call['anonymousId'];
  if ((userId === undefined || userId === null) && (anonymousId === undefined || anonymousId === null)) {
    return fail('MISSING_FIELD', 'userId or anonymousId is required');
  }
  const context = optionalObject(call['context'] ?? sharedContext, 'context');
  if (!context.ok) return context;
  const contextTraits = optionalObject(context.value['traits'], 'context.traits');
  if (!contextTraits.ok) return contextTraits;
  const messageId = optionalString(call['messageId'], 'messageId', 255);
  if (!messageId.ok) return messageId;
  const occurredAt = eventTime(call, ctx.receivedAt);
  if (!occurredAt.ok) return occurredAt;
  const identifiers = resolveIdentifiers(
    {
      externalId: { value: userId, path: 'userId' },
      anonymousId: { value: anonymousId, path: 'anonymousId' },
      email: pick(traits, contextTraits.value, 'email'),
      phone: pick(traits, contextTraits.value, 'phone'),
    },
    ctx.defaultRegion,
  );
  if (!identifiers.ok) return identifiers;
  return ok({
    system: 'segment',
    providerEventRef: messageId.value ?? contentEventRef(JSON.stringify(call)),
    occurredAt: occurredAt.value,
    receivedAt: ctx.receivedAt,
    identifiers: identifiers.value,
  });
};

/** identify reads `traits` first; track has only `context.traits`. */
const pick = (traits: JsonObject | null, contextTraits: JsonObject, name: string) =>
  traits !== null &&
  ((traits[name] !== undefined && traits[name] !== null) || contextTraits[name] === undefined)
    ? { value: traits[name], path: `traits.${name}` }
    : { value: contextTraits[name], path: `context.traits.${name}` };

const eventTime = (call: JsonObject, receivedAt: number): Result<number, RejectionCode> => {
  const timestamp = optionalTime(call['timestamp'], 'timestamp');
  if (!timestamp.ok) return timestamp;
  if (timestamp.value !== undefined) return ok(timestamp.value);
  const original = optionalTime(call['originalTimestamp'], 'originalTimestamp');
  if (!original.ok) return original;
  return ok(original.value ?? receivedAt);
};

const optionalTime = (value: unknown, path: string): Result<number | undefined, RejectionCode> => {
  if (value === undefined || value === null) return ok(undefined);
  const parsed = parseIso8601(value);
  return parsed.ok ? parsed : fail(parsed.code, `${path}: ${parsed.reason}`);
};
