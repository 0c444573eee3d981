import { replacePii } from '@optstream/pii-crypto';
import { FormFieldLimitExceeded, parseFormBody } from './form';

/** A token for an address found in a dead-lettered body: a keyed hash, so the person can be matched, not read. */
export type AddressToken = (kind: 'email' | 'phone', value: string) => string;

export interface RedactedBody {
  readonly body: Buffer;
  /** What was replaced, for the dead letter's `redacted` field. */
  readonly redacted: string;
}

export const DEAD_LETTER_BODY_REDACTION =
  'emails and phone numbers replaced by keyed hashes ([email:<hash>], [phone:<hash>]); ' +
  'names, message text, addresses, IPs and user agents by [redacted]';

/**
 * Fields whose whole value is personal whatever it looks like (the last segment of the name, so
 * Mailchimp's `data[merges][FNAME]` is `FNAME`): Twilio's From/To/Body and their geography, email and
 * phone fields (including invalid ones the patterns would not recognise), names, postal addresses,
 * IPs (`ip`, Mailchimp's `ip_opt`), user agents, media links.
 */
const PERSONAL_FIELD =
  /^(to|from|body)$|(^|_)ip(_|$)|email|phone|mobile|name|addr|city|zip|postal|birth|agent|media|^(from|to)(state|country)$/i;

const lastSegment = (field: string): string => {
  const match = /\[([^[\]]*)\]$/.exec(field);
  return match?.[1] ?? field;
};

/**
 * A webhook body (or one batch item) made fit to keep in ingestion.dead-letter.v1: its structure and
 * every other field stay for the operator to see what was wrong; the personal values do not. JSON
 * stays JSON and a form stays a form; anything else is treated as text. Linear in the body's size.
 */
export function redactDeadLetterBody(raw: Buffer, token: AddressToken): RedactedBody {
  const text = raw.toString('utf8');
  return { body: Buffer.from(redactText(text, token)), redacted: DEAD_LETTER_BODY_REDACTION };
}

/** The same for a value already parsed (a batch item), returned as its JSON. */
export function redactDeadLetterItem(item: unknown, token: AddressToken): RedactedBody {
  return {
    body: Buffer.from(JSON.stringify(redactJson(item, null, token)) ?? 'null'),
    redacted: DEAD_LETTER_BODY_REDACTION,
  };
}

function redactText(text: string, token: AddressToken): string {
  const json = parseJson(text);
  if (json !== undefined) return JSON.stringify(redactJson(json.value, null, token));
  const form = looksLikeForm(text) ? parseForm(text) : undefined;
  if (form !== undefined) return redactForm(form, token);
  return addressesOnly(text, token);
}

function redactJson(value: unknown, field: string | null, token: AddressToken): unknown {
  if (typeof value === 'string') return redactValue(field, value, token);
  if (Array.isArray(value)) return value.map((v) => redactJson(v, field, token));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactJson(v, k, token);
    return out;
  }
  return value;
}

function redactForm(fields: ReturnType<typeof parseFormBody>, token: AddressToken): string {
  const out = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    const values = typeof value === 'string' ? [value] : (value ?? []);
    for (const v of values) out.append(name, redactValue(name, v, token));
  }
  return out.toString();
}

function redactValue(field: string | null, value: string, token: AddressToken): string {
  if (field !== null && PERSONAL_FIELD.test(lastSegment(field))) {
    if (value.length === 0) return value;
    const whole = addressesOnly(value, token);
    // A personal field that held just an address keeps its token; anything else goes entirely.
    return /^\[(email|phone):[^\]]+\]$/.test(whole) ? whole : '[redacted]';
  }
  return addressesOnly(value, token);
}

const addressesOnly = (text: string, token: AddressToken): string =>
  replacePii(text, (kind, match) => `[${kind}:${token(kind, match)}]`);

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

const looksLikeForm = (text: string): boolean => text.includes('=') && !/[\s{}]/.test(text.trim());

function parseForm(text: string): ReturnType<typeof parseFormBody> | undefined {
  try {
    return parseFormBody(text.trim());
  } catch (error) {
    if (error instanceof FormFieldLimitExceeded) return undefined;
    throw error;
  }
}
