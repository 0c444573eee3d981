import { EVIDENCE_KIND_SYMBOLS, type EvidenceKind } from '@optstream/contracts';
import { isRecord, quote, typeName, type JsonObject } from '../guards';
import type { ConsentChannel, Evidence } from '../inbound-fact';
import { fail, ok, type Result } from '../result';
import { optionalOneOf, optionalString } from './fields';
import type { MapperContext, RejectionCode } from './map-result';

/**
 * The consent-model fields a source may state beside a status (docs/consent-model.md): the topic, and
 * proof of consent. Shared by every mapper that accepts them, so each source validates them alike.
 */

/** Copies of a state rather than an act of the person (docs/consent-model.md, "Evidence strength"). */
const SNAPSHOT_KINDS: readonly EvidenceKind[] = ['identify_traits', 'csv_backfill', 'crm_sync'];
export const evidenceStrength = (kind: EvidenceKind): 'explicit' | 'snapshot' =>
  SNAPSHOT_KINDS.includes(kind) ? 'snapshot' : 'explicit';

/** Evidence of consent read from identify traits: a copy an app resends, never an act (issue case 3). */
export const IDENTIFY_TRAITS_EVIDENCE: Evidence = { strength: 'snapshot', kind: 'identify_traits' };

/**
 * A catalogue topic of `channel`, or null (absent: the whole channel). A topic the catalogue does not
 * have on that channel is refused (`UNKNOWN_TOPIC`): applying it to the whole channel would record a
 * choice the person did not make.
 */
export const optionalTopic = (
  value: unknown,
  path: string,
  channel: ConsentChannel,
  ctx: MapperContext,
): Result<string | null, RejectionCode> => {
  const topic = optionalString(value, path, 63);
  if (!topic.ok) return topic;
  if (topic.value === undefined) return ok(null);
  if (ctx.topicOfChannel?.(topic.value, channel) === true) return ok(topic.value);
  return fail('UNKNOWN_TOPIC', `${path} ${quote(topic.value)} is no ${channel} topic of the catalogue`);
};

const EVIDENCE_KINDS = EVIDENCE_KIND_SYMBOLS.filter(
  (k): k is Exclude<EvidenceKind, 'unknown'> => k !== 'unknown',
);
const LEGAL_BASES = ['consent', 'legitimate_interest', 'contract', 'legal_obligation'] as const;
const ACTOR = /^(person|agent:[^\s:]{1,100}|system:[^\s:]{1,100})$/;
/** ISO 3166-1 alpha-2, or a subdivision (ISO 3166-2, `US-CA`), or `EU`. */
const JURISDICTION = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;
const EVIDENCE_FIELDS: ReadonlySet<string> = new Set([
  'kind',
  'collectionPoint',
  'consentTextId',
  'consentTextVersion',
  'actor',
  'legalBasis',
  'jurisdiction',
]);

/** Proof of consent as a caller states it; `kind` defaults to `fallbackKind`, strength follows the kind. */
export const optionalEvidence = (
  value: unknown,
  path: string,
  fallbackKind: Exclude<EvidenceKind, 'unknown'>,
): Result<Evidence | undefined, RejectionCode> => {
  if (value === undefined || value === null) return ok(undefined);
  if (!isRecord(value)) return fail('INVALID_FIELD', `${path} must be an object; got ${typeName(value)}`);
  const unknown = Object.keys(value).find((key) => !EVIDENCE_FIELDS.has(key));
  if (unknown !== undefined)
    return fail(
      'INVALID_FIELD',
      `unknown field ${path}.${unknown}; allowed: ${[...EVIDENCE_FIELDS].join(', ')}`,
    );
  const kind = optionalOneOf(value['kind'], `${path}.kind`, EVIDENCE_KINDS);
  if (!kind.ok) return kind;
  const legalBasis = optionalOneOf(value['legalBasis'], `${path}.legalBasis`, LEGAL_BASES);
  if (!legalBasis.ok) return legalBasis;
  const texts = evidenceTexts(value, path);
  if (!texts.ok) return texts;
  const actor = texts.value.actor;
  if (actor !== undefined && !ACTOR.test(actor))
    return fail('INVALID_FIELD', `${path}.actor must be person, agent:<id> or system:<name>`);
  const jurisdiction = texts.value.jurisdiction;
  if (jurisdiction !== undefined && !JURISDICTION.test(jurisdiction))
    return fail('INVALID_FIELD', `${path}.jurisdiction must be like EU, FR or US-CA`);
  const chosen = kind.value ?? fallbackKind;
  return ok({
    strength: evidenceStrength(chosen),
    kind: chosen,
    collectionPoint: texts.value.collectionPoint ?? null,
    consentTextId: texts.value.consentTextId ?? null,
    consentTextVersion: texts.value.consentTextVersion ?? null,
    actor: actor ?? null,
    legalBasis: legalBasis.value ?? null,
    jurisdiction: jurisdiction ?? null,
  });
};

type EvidenceTexts = Partial<
  Record<'collectionPoint' | 'consentTextId' | 'consentTextVersion' | 'actor' | 'jurisdiction', string>
>;

const evidenceTexts = (value: JsonObject, path: string): Result<EvidenceTexts, RejectionCode> => {
  const texts: EvidenceTexts = {};
  for (const field of [
    'collectionPoint',
    'consentTextId',
    'consentTextVersion',
    'actor',
    'jurisdiction',
  ] as const) {
    const text = optionalString(value[field], `${path}.${field}`, 200);
    if (!text.ok) return text;
    if (text.value !== undefined) texts[field] = text.value.trim();
  }
  return ok(texts);
};

/** The IP address the person acted from (IPv4 or IPv6), proof of consent; personal data. */
export const optionalIpAddress = (
  value: unknown,
  path: string,
): Result<string | undefined, RejectionCode> => {
  const ip = optionalString(value, path, 45);
  if (!ip.ok) return ip;
  if (ip.value !== undefined && !isIpAddress(ip.value))
    return fail('INVALID_FIELD', `${path} must be an IPv4 or IPv6 address`);
  return ip;
};

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** IPv4 dotted quad, or IPv6 as the WHATWG URL parser accepts it in a host (no zone id). */
const isIpAddress = (text: string): boolean => {
  if (IPV4.test(text)) return true;
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || !text.includes(':')) return false;
  try {
    return new URL(`http://[${text}]/`).hostname.startsWith('[');
  } catch {
    return false;
  }
};
