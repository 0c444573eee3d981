import { derivedEventRef, mailchimpEventRef } from '../event-id';
import { formValue, type FormFields } from '../form';
import { quote } from '../guards';
import type { ConsentStatus } from '../inbound-fact';
import { parseMailchimpFiredAt } from '../normalize/time';
import { assertNever } from '../result';
import { identifyFact, preferenceChangeFact, type FactEnvelope } from './facts';
import { requiredString } from './fields';
import { resolveIdentifiers } from './identifiers';
import { factResult, ignored, rejection, type MapperContext, type MapResult } from './map-result';

type ConsentType = 'subscribe' | 'unsubscribe' | 'cleaned';
type MappedType = ConsentType | 'profile';
const MAPPED_TYPES: readonly MappedType[] = ['subscribe', 'unsubscribe', 'cleaned', 'profile'];
/** Documented types that say nothing about consent or identity we can key (address changes, campaigns). */
export const MAILCHIMP_IGNORED_TYPES: readonly string[] = ['upemail', 'campaign'];

const MERGE_FIELD = /^data\[merges\]\[([^\]]+)\]$/;

/**
 * Maps a Mailchimp audience webhook (form fields with PHP-style keys such as `data[email]`) to at most
 * one fact. Mailchimp sends no event id; see `mailchimpEventRef` for how retries still collapse.
 */
export const mapMailchimpWebhook = (fields: FormFields, ctx: MapperContext): readonly MapResult[] => {
  const type = requiredString(formValue(fields, 'type'), 'type', 32);
  if (!type.ok) return [rejection(type.code, type.reason, fields)];
  const mapped = MAPPED_TYPES.find((t) => t === type.value);
  if (mapped === undefined) {
    return MAILCHIMP_IGNORED_TYPES.includes(type.value)
      ? [ignored(`Mailchimp "${type.value}" carries no consent change`, fields)]
      : [
          rejection(
            'UNKNOWN_EVENT_TYPE',
            `type ${quote(type.value)} is not a known Mailchimp webhook type`,
            fields,
          ),
        ];
  }
  const envelope = buildEnvelope(mapped, fields, ctx);
  if (!envelope.ok) return [rejection(envelope.code, envelope.reason, fields)];
  const topics = mapped === 'profile' ? interestFacts(envelope.value, fields, ctx) : [];
  return [factResult(toFact(mapped, envelope.value, fields)), ...topics.map(factResult)];
};

/** A profile webhook copies the member's interests; it is no act of the person we can date. */
const INTEREST_EVIDENCE = { strength: 'snapshot', kind: 'provider_webhook' } as const;
const GROUPING_GROUPS = /^data\[merges\]\[GROUPINGS\]\[\d+\]\[groups\]$/;

/**
 * The member's interests as a profile webhook names them: each `data[merges][GROUPINGS][n][groups]`
 * (one per interest category), else `data[merges][INTERESTS]` (all of them); comma-separated names, a
 * comma inside a name escaped as `\,`. Undefined when the webhook carries neither (no interests to read).
 */
export const mailchimpInterestNames = (fields: FormFields): ReadonlySet<string> | undefined => {
  const groupings = Object.keys(fields).filter((key) => GROUPING_GROUPS.test(key));
  const lists =
    groupings.length > 0
      ? groupings.map((key) => formValue(fields, key))
      : [formValue(fields, 'data[merges][INTERESTS]')];
  if (lists.every((list) => list === undefined)) return undefined;
  return new Set(
    lists.flatMap((list) =>
      (list ?? '')
        .split(/(?<!\\),/)
        .map((name) => name.replace(/\\,/g, ',').trim())
        .filter((name) => name !== ''),
    ),
  );
};

/**
 * One topic choice per catalogue topic represented by a named Mailchimp interest: subscribed when the
 * member is in the interest, unsubscribed when not. A snapshot (docs/consent-model.md): it never
 * reverses an explicit opt-out, whatever its time.
 */
const interestFacts = (envelope: FactEnvelope, fields: FormFields, ctx: MapperContext) => {
  const names = mailchimpInterestNames(fields);
  if (names === undefined) return [];
  return (ctx.mailchimpInterests ?? []).map(({ topic, name }) =>
    preferenceChangeFact(
      { ...envelope, providerEventRef: derivedEventRef(envelope.providerEventRef, `interest:${topic}`) },
      'email',
      names.has(name) ? 'subscribed' : 'unsubscribed',
      'Mailchimp Profile Interests',
      { topic, evidence: INTEREST_EVIDENCE },
    ),
  );
};

type EnvelopeResult =
  | { readonly ok: true; readonly value: FactEnvelope }
  | { readonly ok: false; readonly code: Parameters<typeof rejection>[0]; readonly reason: string };

const buildEnvelope = (type: MappedType, fields: FormFields, ctx: MapperContext): EnvelopeResult => {
  const firedAtText = requiredString(formValue(fields, 'fired_at'), 'fired_at', 32);
  if (!firedAtText.ok) return firedAtText;
  const occurredAt = parseMailchimpFiredAt(firedAtText.value);
  if (!occurredAt.ok) return occurredAt;
  const listId = requiredString(formValue(fields, 'data[list_id]'), 'data[list_id]', 64);
  if (!listId.ok) return listId;
  const rawEmail = formValue(fields, 'data[email]');
  if (rawEmail === undefined) return { ok: false, code: 'MISSING_FIELD', reason: 'data[email] is required' };
  const identifiers = resolveIdentifiers(
    { email: { value: rawEmail, path: 'data[email]' } },
    ctx.defaultRegion,
  );
  if (!identifiers.ok) return identifiers;
  return {
    ok: true,
    value: {
      system: 'mailchimp',
      providerEventRef: mailchimpEventRef(
        type,
        firedAtText.value,
        identifiers.value.email ?? '',
        listId.value,
      ),
      occurredAt: occurredAt.value,
      receivedAt: ctx.receivedAt,
      identifiers: identifiers.value,
      // fired_at is "YYYY-MM-DD HH:MM:SS": whole seconds.
      precision: 'second',
    },
  };
};

const toFact = (type: MappedType, envelope: FactEnvelope, fields: FormFields) => {
  switch (type) {
    case 'subscribe':
    case 'unsubscribe':
    case 'cleaned': {
      const [status, sourceOfChange] = consentChange(type);
      return preferenceChangeFact(envelope, 'email', status, sourceOfChange);
    }
    case 'profile':
      return identifyFact(envelope, JSON.stringify(profileTraits(fields)));
    default:
      return assertNever(type);
  }
};

const consentChange = (type: ConsentType): readonly [ConsentStatus, string] => {
  switch (type) {
    case 'subscribe':
      return ['subscribed', 'Mailchimp Subscribe'];
    case 'unsubscribe':
      return ['unsubscribed', 'Mailchimp Unsubscribe'];
    case 'cleaned':
      // Cleaned = hard bounce or abuse complaint: the address must not be mailed again.
      return ['unsubscribed', 'Mailchimp Cleaned'];
    default:
      return assertNever(type);
  }
};

/** Profile traits: Mailchimp's member id, audience and merge fields (FNAME, LNAME, …). */
const profileTraits = (fields: FormFields): Record<string, unknown> => {
  const merges: Record<string, string> = {};
  for (const key of Object.keys(fields)) {
    const tag = MERGE_FIELD.exec(key)?.[1];
    const value = formValue(fields, key);
    if (tag !== undefined && value !== undefined) merges[tag] = value;
  }
  return {
    mailchimp_id: formValue(fields, 'data[id]') ?? null,
    mailchimp_list_id: formValue(fields, 'data[list_id]') ?? null,
    email_type: formValue(fields, 'data[email_type]') ?? null,
    merges,
  };
};
