import { formValue, type FormFields } from '../form';
import { quote } from '../guards';
import { classifySms, type KeywordKind } from '../keywords';
import type { ConsentStatus } from '../inbound-fact';
import { preferenceChangeFact } from './facts';
import { resolveIdentifiers } from './identifiers';
import { assertNever } from '../result';
import { factResult, ignored, rejection, type MapperContext, type MapResult } from './map-result';

// MessageSid: two-letter prefix (SM for SMS, MM for MMS) and 32 hex digits.
const MESSAGE_SID = /^(?:SM|MM)[0-9a-fA-F]{32}$/;

/**
 * Maps a Twilio inbound-SMS webhook (form fields) to at most one consent fact. Twilio sends no event
 * time, so occurredAt is the gateway's receivedAt: the webhook fires within seconds of the reply and
 * retries at most once within 15 s, so the error is bounded and small.
 */
export const mapTwilioSms = (fields: FormFields, ctx: MapperContext): readonly MapResult[] => {
  const keyword = classifySms(formValue(fields, 'Body'), formValue(fields, 'OptOutType'));
  const change = consentChange(keyword.kind);
  if (change === null) return [ignored(`SMS keyword class "${keyword.kind}" changes no consent`, fields)];
  const sid = formValue(fields, 'MessageSid');
  if (sid === undefined) return [rejection('MISSING_FIELD', 'MessageSid is required', fields)];
  if (!MESSAGE_SID.test(sid))
    return [
      rejection('INVALID_FIELD', `MessageSid ${quote(sid)} is not SM/MM followed by 32 hex digits`, fields),
    ];
  const from = formValue(fields, 'From');
  if (from === undefined) return [rejection('MISSING_FIELD', 'From is required', fields)];
  if (/^[a-z]+:/i.test(from.trim())) {
    // whatsapp:+1…, messenger:… — another channel's address, not SMS consent.
    return [
      rejection(
        'INVALID_PHONE',
        `From uses the "${from.trim().split(':')[0]}:" channel prefix; only SMS numbers carry SMS consent`,
        fields,
      ),
    ];
  }
  const identifiers = resolveIdentifiers({ phone: { value: from, path: 'From' } }, ctx.defaultRegion);
  if (!identifiers.ok) return [rejection(identifiers.code, identifiers.reason, fields)];
  const envelope = {
    system: 'twilio' as const,
    providerEventRef: sid,
    occurredAt: ctx.receivedAt,
    receivedAt: ctx.receivedAt,
    identifiers: identifiers.value,
  };
  // A keyword reply is the person's own act (docs/consent-model.md, "Evidence strength").
  return [
    factResult(
      preferenceChangeFact(envelope, 'sms', change[0], change[1], {
        evidence: { strength: 'explicit', kind: 'sms_keyword' },
      }),
    ),
  ];
};

const consentChange = (kind: KeywordKind): readonly [ConsentStatus, string] | null => {
  switch (kind) {
    case 'opt_out':
      return ['unsubscribed', 'SMS STOP Reply'];
    case 'opt_in':
      return ['subscribed', 'SMS START Reply'];
    case 'help':
    case 'none':
      return null;
    default:
      return assertNever(kind);
  }
};
