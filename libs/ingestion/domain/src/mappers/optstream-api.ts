import { quote, isRecord, typeName, type JsonObject } from '../guards';
import { CONSENT_CHANNELS, CONSENT_STATUSES, type ConsentChannel, type ConsentStatus } from '../inbound-fact';
import { parseIso8601 } from '../normalize/time';
import { optionalEvidence, optionalIpAddress, optionalTopic } from './consent-fields';
import { preferenceChangeFact } from './facts';
import { optionalString, requiredOneOf, requiredString } from './fields';
import { ok } from '../result';
import { resolveIdentifiers } from './identifiers';
import { factResult, rejection, type MapperContext, type MapResult } from './map-result';

/**
 * Body of the signed `POST /v1/preferences` for our own systems. At least one of externalId, email,
 * phone. `requestId` is the caller's idempotency key: resending the same change with the same
 * requestId yields the same eventId, so it is recorded once.
 */
export type OptstreamPreferenceRequest = {
  readonly externalId?: string;
  readonly email?: string;
  readonly phone?: string;
  readonly channel: ConsentChannel;
  readonly newStatus: ConsentStatus;
  readonly sourceOfChange: string;
  /** ISO 8601 with a zone: when the person acted. */
  readonly occurredAt: string;
  readonly requestId: string;
  /** A catalogue topic of the channel; absent: the whole channel. */
  readonly topic?: string;
  /** Proof of consent (docs/consent-model.md); `kind` defaults to `api_call`. */
  readonly evidence?: {
    readonly kind?: string;
    readonly collectionPoint?: string;
    readonly consentTextId?: string;
    readonly consentTextVersion?: string;
    readonly actor?: string;
    readonly legalBasis?: string;
    readonly jurisdiction?: string;
  };
  /** Where the person acted from: proof of consent, personal data (sealed by the resolver). */
  readonly ipAddress?: string;
  readonly userAgent?: string;
};

const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  'externalId',
  'email',
  'phone',
  'channel',
  'newStatus',
  'sourceOfChange',
  'occurredAt',
  'requestId',
  'topic',
  'evidence',
  'ipAddress',
  'userAgent',
]);

/** Validates and maps one request body (already JSON-parsed); any rejection means 400. */
export const mapOptstreamPreferenceRequest = (body: unknown, ctx: MapperContext): readonly MapResult[] => {
  if (!isRecord(body))
    return [rejection('INVALID_BODY', `body must be a JSON object; got ${typeName(body)}`, body)];
  return [mapRequest(body, ctx)];
};

const mapRequest = (body: JsonObject, ctx: MapperContext): MapResult => {
  // Unknown fields are refused rather than ignored: a typo such as "new_status" must not pass silently.
  const unknown = Object.keys(body).find((key) => !KNOWN_FIELDS.has(key));
  if (unknown !== undefined) {
    return rejection(
      'INVALID_FIELD',
      `unknown field ${quote(unknown)}; allowed: ${[...KNOWN_FIELDS].join(', ')}`,
      body,
    );
  }
  const requestId = requiredString(body['requestId'], 'requestId', 255);
  if (!requestId.ok) return rejection(requestId.code, requestId.reason, body);
  const channel = requiredOneOf(body['channel'], 'channel', CONSENT_CHANNELS);
  if (!channel.ok) return rejection(channel.code, channel.reason, body);
  const newStatus = requiredOneOf(body['newStatus'], 'newStatus', CONSENT_STATUSES);
  if (!newStatus.ok) return rejection(newStatus.code, newStatus.reason, body);
  const sourceOfChange = requiredString(body['sourceOfChange'], 'sourceOfChange', 200);
  if (!sourceOfChange.ok) return rejection(sourceOfChange.code, sourceOfChange.reason, body);
  if (body['occurredAt'] === undefined || body['occurredAt'] === null)
    return rejection('MISSING_FIELD', 'occurredAt is required', body);
  const occurredAt = parseIso8601(body['occurredAt']);
  if (!occurredAt.ok) return rejection(occurredAt.code, `occurredAt: ${occurredAt.reason}`, body);
  const identifiers = resolveIdentifiers(
    {
      externalId: { value: body['externalId'], path: 'externalId' },
      email: { value: body['email'], path: 'email' },
      phone: { value: body['phone'], path: 'phone' },
    },
    ctx.defaultRegion,
  );
  if (!identifiers.ok) return rejection(identifiers.code, identifiers.reason, body);
  const envelope = {
    system: 'optstream_api' as const,
    providerEventRef: requestId.value,
    occurredAt: occurredAt.value,
    receivedAt: ctx.receivedAt,
    identifiers: identifiers.value,
  };
  const detail = consentDetail(body, channel.value, ctx);
  if (!detail.ok) return rejection(detail.code, detail.reason, body);
  return factResult(
    preferenceChangeFact(envelope, channel.value, newStatus.value, sourceOfChange.value.trim(), detail.value),
  );
};

/** Topic and proof of consent; only the fields the caller sent, so a plain request maps as it always did. */
const consentDetail = (body: JsonObject, channel: ConsentChannel, ctx: MapperContext) => {
  const topic = optionalTopic(body['topic'], 'topic', channel, ctx);
  if (!topic.ok) return topic;
  const evidence = optionalEvidence(body['evidence'], 'evidence', 'api_call');
  if (!evidence.ok) return evidence;
  const ipAddress = optionalIpAddress(body['ipAddress'], 'ipAddress');
  if (!ipAddress.ok) return ipAddress;
  const userAgent = optionalString(body['userAgent'], 'userAgent', 512);
  if (!userAgent.ok) return userAgent;
  return ok({
    ...(topic.value === null ? {} : { topic: topic.value }),
    // Only our own systems hold the signing secret: a trusted source.
    ...(evidence.value === undefined ? {} : { evidence: { ...evidence.value, trust: 'server' as const } }),
    ...(ipAddress.value === undefined ? {} : { ipAddress: ipAddress.value }),
    ...(userAgent.value === undefined ? {} : { userAgent: userAgent.value }),
  });
};
