import { contentEventRef, derivedEventRef } from '../event-id';
import { isRecord, quote, typeName, type JsonObject } from '../guards';
import { CONSENT_CHANNELS, CONSENT_STATUSES, type ContactInbound } from '../inbound-fact';
import { parseIso8601 } from '../normalize/time';
import { assertNever, fail, ok, type Result } from '../result';
import { IDENTIFY_TRAITS_EVIDENCE, optionalTopic } from './consent-fields';
import { identifyFact, preferenceChangeFact, pushPermissionChangeFact, type FactEnvelope } from './facts';
import {
  optionalObject,
  optionalString,
  requiredBoolean,
  requiredObject,
  requiredOneOf,
  requiredString,
} from './fields';
import { resolveIdentifiers } from './identifiers';
import { traitConsent, type TraitConsent } from './segment-traits';
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

/** The call types of the Segment spec; only identify and track can carry consent. */
export type SegmentCallType = 'identify' | 'track' | 'page' | 'screen' | 'group' | 'alias';
type ConsentCallType = Extract<SegmentCallType, 'identify' | 'track'>;
/** Other Segment call types are valid but carry no consent; they are counted as ignored. */
const NON_CONSENT_TYPES: readonly string[] = ['page', 'screen', 'group', 'alias'];
/**
 * Why `alias` links nothing: its `previousId` is an anonymousId (device-scoped, never resolved on: see
 * libs/identity/domain/README.md) or an earlier userId, and two userIds are two externalIds, which the
 * identity rules never merge (only provisional contacts are absorbed). docs/ingestion-gateway.md.
 */
const NON_CONSENT_REASON: Record<string, string> = {
  alias: 'Segment "alias" is not linked: previousId is device-scoped or another externalId',
};

const isConsentCall = (type: SegmentCallType): type is ConsentCallType =>
  type === 'identify' || type === 'track';

type Mapped = Result<readonly ContactInbound[], RejectionCode>;

/** Client clock reading of the batch that carried a call (Segment's `sentAt`), for skew correction. */
type CallClock = { readonly sentAt: unknown };

/** `POST /v1/identify`, `/v1/track`, `/v1/page`, … (and their short paths): the endpoint names the call type. */
export const mapSegmentCall = (
  type: SegmentCallType,
  body: unknown,
  ctx: MapperContext,
): readonly MapResult[] => {
  if (!isRecord(body))
    return [
      rejection('INVALID_BODY', `Segment ${type} body must be a JSON object; got ${typeName(body)}`, body),
    ];
  if (!isConsentCall(type)) return [nonConsent(type, body)];
  return toResults(mapCall(type, body, undefined, { sentAt: body['sentAt'] }, ctx), body);
};

/**
 * `POST /v1/batch` (`/v1/b`): `{batch: [...], context?, sentAt?}`; each item names its `type`; results
 * in item order. More than SEGMENT_MAX_BATCH_EVENTS items, or a batch whose items are mostly invalid
 * (more than half), is refused whole: one request must not turn into thousands of dead letters.
 */
export const mapSegmentBatch = (body: unknown, ctx: MapperContext): readonly MapResult[] => {
  if (!isRecord(body))
    return [
      rejection('INVALID_BODY', `Segment batch body must be a JSON object; got ${typeName(body)}`, body),
    ];
  const batch = body['batch'];
  if (!Array.isArray(batch))
    return [rejection('INVALID_BODY', `batch must be an array; got ${typeName(batch)}`, body)];
  if (batch.length > SEGMENT_MAX_BATCH_EVENTS) {
    const reason = `a batch holds at most ${SEGMENT_MAX_BATCH_EVENTS} events; this one has ${batch.length}; nothing was accepted`;
    return [rejection('INVALID_BODY', reason, body)];
  }
  const sharedContext = isRecord(body['context']) ? body['context'] : undefined;
  const items = batch.map((item) => mapBatchItem(item, sharedContext, body['sentAt'], ctx));
  return mostlyInvalid(items, body) ?? items.flat();
};

const mostlyInvalid = (
  items: ReadonlyArray<readonly MapResult[]>,
  body: JsonObject,
): [MapResult] | undefined => {
  const invalid = items.filter((results) => results.some((r) => r.outcome === 'rejected'));
  if (invalid.length * 2 <= items.length) return undefined;
  const first = invalid[0]?.find((r) => r.outcome === 'rejected');
  const example = first?.outcome === 'rejected' ? `; first: ${first.code} ${first.reason}` : '';
  const reason = `${invalid.length} of ${items.length} batch items are invalid${example}; nothing was accepted`;
  return [rejection('INVALID_BODY', reason, body)];
};

const nonConsent = (type: string, original: JsonObject): MapResult =>
  ignored(NON_CONSENT_REASON[type] ?? `Segment "${type}" call carries no consent`, original);

const mapBatchItem = (
  item: unknown,
  sharedContext: JsonObject | undefined,
  batchSentAt: unknown,
  ctx: MapperContext,
): readonly MapResult[] => {
  if (!isRecord(item))
    return [rejection('INVALID_EVENT', `each batch item must be an object; got ${typeName(item)}`, item)];
  const type = item['type'];
  const clock = { sentAt: item['sentAt'] ?? batchSentAt };
  if (type === 'identify' || type === 'track')
    return toResults(mapCall(type, item, sharedContext, clock, ctx), item);
  if (typeof type === 'string' && NON_CONSENT_TYPES.includes(type)) return [nonConsent(type, item)];
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
  type: ConsentCallType,
  call: JsonObject,
  sharedContext: JsonObject | undefined,
  clock: CallClock,
  ctx: MapperContext,
): Mapped | 'ignored' => {
  switch (type) {
    case 'identify':
      return mapIdentify(call, sharedContext, clock, ctx);
    case 'track':
      return mapTrack(call, sharedContext, clock, ctx);
    default:
      return assertNever(type);
  }
};

// ---- identify -------------------------------------------------------------------------------------

const mapIdentify = (
  call: JsonObject,
  sharedContext: JsonObject | undefined,
  clock: CallClock,
  ctx: MapperContext,
): Mapped => {
  const traits = optionalObject(call['traits'], 'traits');
  if (!traits.ok) return traits;
  const envelope = buildEnvelope(call, traits.value, sharedContext, clock, ctx);
  if (!envelope.ok) return envelope;
  const consent = traitConsent(traits.value, ctx);
  if (!consent.ok) return consent;
  const e = envelope.value;
  const derived = (c: TraitConsent): FactEnvelope => ({
    ...e,
    providerEventRef: derivedEventRef(e.providerEventRef, c.trait),
    occurredAt: c.occurredAt ?? e.occurredAt,
  });
  return ok([
    identifyFact(e, JSON.stringify(traits.value)),
    ...consent.value.map((c) =>
      // Traits are a copy of a state (apps resend cached traits on every identify): a snapshot, which
      // never reverses an explicit opt-out (docs/consent-model.md, "Evidence strength").
      preferenceChangeFact(derived(c), c.channel, c.status, SEGMENT_TRAIT_SOURCE_OF_CHANGE, {
        ...(c.topic === undefined ? {} : { topic: c.topic }),
        evidence: IDENTIFY_TRAITS_EVIDENCE,
      }),
    ),
  ]);
};

// ---- track ----------------------------------------------------------------------------------------

const mapTrack = (
  call: JsonObject,
  sharedContext: JsonObject | undefined,
  clock: CallClock,
  ctx: MapperContext,
): Mapped | 'ignored' => {
  const event = requiredString(call['event'], 'event', 200);
  if (!event.ok) return event;
  if (event.value !== MARKETING_PREFERENCE_UPDATED && event.value !== PUSH_PERMISSION_CHANGED)
    return 'ignored';
  const properties = requiredObject(call['properties'], 'properties');
  if (!properties.ok) return properties;
  const envelope = buildEnvelope(call, null, sharedContext, clock, ctx);
  if (!envelope.ok) return envelope;
  return event.value === MARKETING_PREFERENCE_UPDATED
    ? mapPreferenceUpdated(properties.value, envelope.value, ctx)
    : mapPushPermission(properties.value, envelope.value);
};

/**
 * Track properties map one to one: channel, new_status, source_of_change, timestamp (when the person
 * acted) and `topic` (a catalogue topic of the channel; absent: the whole channel).
 */
const mapPreferenceUpdated = (p: JsonObject, e: FactEnvelope, ctx: MapperContext): Mapped => {
  const channel = requiredOneOf(p['channel'], 'properties.channel', CONSENT_CHANNELS);
  if (!channel.ok) return channel;
  const status = requiredOneOf(p['new_status'], 'properties.new_status', CONSENT_STATUSES);
  if (!status.ok) return status;
  const source = requiredString(p['source_of_change'], 'properties.source_of_change', 200);
  if (!source.ok) return source;
  const occurredAt = optionalTime(p['timestamp'], 'properties.timestamp');
  if (!occurredAt.ok) return occurredAt;
  const topic = optionalTopic(p['topic'], 'properties.topic', channel.value, ctx);
  if (!topic.ok) return topic;
  const envelope = { ...e, occurredAt: occurredAt.value ?? e.occurredAt };
  const detail = topic.value === null ? {} : { topic: topic.value };
  return ok([preferenceChangeFact(envelope, channel.value, status.value, source.value.trim(), detail)]);
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
 * occurredAt: `timestamp`, else `originalTimestamp`, corrected for clock skew with `sentAt`, else
 * receivedAt — Segment itself sets a missing timestamp to its receive time.
 * Event ref: `messageId`; when a hand-written client omits it, a hash of the call's own JSON, so an
 * identical retry still collapses.
 */
const buildEnvelope = (
  call: JsonObject,
  traits: JsonObject | null,
  sharedContext: JsonObject | undefined,
  clock: CallClock,
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
  const occurredAt = eventTime(call, clock, ctx.receivedAt);
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

/**
 * Segment's clock-skew correction (docs/ingestion-gateway.md, "Time"): the call's client time
 * (`timestamp`, else `originalTimestamp`) moved by the client clock's error, measured as
 * `receivedAt − sentAt`; that is `receivedAt − (sentAt − clientTime)`. Without `sentAt` the client time
 * is taken as is; without a client time, receivedAt.
 */
const eventTime = (call: JsonObject, clock: CallClock, receivedAt: number): Result<number, RejectionCode> => {
  const timestamp = optionalTime(call['timestamp'], 'timestamp');
  if (!timestamp.ok) return timestamp;
  const original =
    timestamp.value === undefined ? optionalTime(call['originalTimestamp'], 'originalTimestamp') : timestamp;
  if (!original.ok) return original;
  const clientTime = original.value;
  if (clientTime === undefined) return ok(receivedAt);
  const sentAt = optionalTime(clock.sentAt, 'sentAt');
  if (!sentAt.ok) return sentAt;
  return ok(sentAt.value === undefined ? clientTime : receivedAt - (sentAt.value - clientTime));
};

const optionalTime = (value: unknown, path: string): Result<number | undefined, RejectionCode> => {
  if (value === undefined || value === null) return ok(undefined);
  const parsed = parseIso8601(value);
  return parsed.ok ? parsed : fail(parsed.code, `${path}: ${parsed.reason}`);
};
