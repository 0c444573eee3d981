import { quote, typeName } from '../guards';
import { fail, ok, type Result } from '../result';

export type TimeErrorCode = 'INVALID_TIMESTAMP';
type TimeResult = Result<number, TimeErrorCode>;

// Accepted window for provider timestamps: 2000-01-01 to 2100-01-01 UTC. Anything outside is a unit
// mistake (milliseconds sent as seconds, or the reverse) rather than a real consent time.
const MIN_EPOCH_MS = Date.UTC(2000, 0, 1);
const MAX_EPOCH_MS = Date.UTC(2100, 0, 1);

/** SendGrid `timestamp`: integer Unix seconds. */
export const parseUnixSeconds = (input: unknown): TimeResult => {
  if (typeof input !== 'number' || !Number.isInteger(input)) {
    return fail(
      'INVALID_TIMESTAMP',
      `timestamp must be an integer number of Unix seconds; got ${describe(input)}`,
    );
  }
  return inWindow(input * 1000);
};

// ISO 8601 / RFC 3339 date-time with a mandatory zone: a zone-less time would be read in the host's
// local zone, which makes the result depend on the machine.
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/** Segment `timestamp` / `originalTimestamp`, and our own API: ISO 8601 with `Z` or an offset. */
export const parseIso8601 = (input: unknown): TimeResult => {
  if (typeof input !== 'string')
    return fail('INVALID_TIMESTAMP', `timestamp must be an ISO 8601 string; got ${typeName(input)}`);
  const m = ISO_8601.exec(input.trim());
  if (m === null) {
    return fail(
      'INVALID_TIMESTAMP',
      `timestamp ${quote(input)} is not ISO 8601 with a time zone (e.g. 2024-03-01T12:00:00.000Z)`,
    );
  }
  const [, y, mo, d, h, mi, s, frac, , sign, oh, om] = m;
  const offsetMinutes = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  if (offsetMinutes !== 0 && (Number(oh) > 23 || Number(om) > 59)) {
    return fail('INVALID_TIMESTAMP', `timestamp ${quote(input)} has an invalid UTC offset`);
  }
  const millis = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  return fromParts(input, [y, mo, d, h, mi, s ?? '0'], millis, offsetMinutes);
};

const MAILCHIMP_FIRED_AT = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Mailchimp `fired_at`: "YYYY-MM-DD HH:MM:SS", always UTC. */
export const parseMailchimpFiredAt = (input: unknown): TimeResult => {
  if (typeof input !== 'string')
    return fail('INVALID_TIMESTAMP', `fired_at must be a string; got ${typeName(input)}`);
  const m = MAILCHIMP_FIRED_AT.exec(input.trim());
  if (m === null) return fail('INVALID_TIMESTAMP', `fired_at ${quote(input)} is not "YYYY-MM-DD HH:MM:SS"`);
  const [, y, mo, d, h, mi, s] = m;
  return fromParts(input, [y, mo, d, h, mi, s], 0, 0);
};

type Parts = readonly [string?, string?, string?, string?, string?, string?];

const fromParts = (input: string, parts: Parts, millis: number, offsetMinutes: number): TimeResult => {
  const [year, month, day, hour, minute, second] = parts.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC rolls 2024-02-30 over to March; round-tripping the fields catches impossible dates.
  const check = new Date(utc);
  const exact =
    check.getUTCFullYear() === year &&
    check.getUTCMonth() === month - 1 &&
    check.getUTCDate() === day &&
    check.getUTCHours() === hour &&
    check.getUTCMinutes() === minute &&
    check.getUTCSeconds() === second;
  if (!exact)
    return fail('INVALID_TIMESTAMP', `timestamp ${quote(input)} is not a real calendar date and time`);
  return inWindow(utc - offsetMinutes * 60_000);
};

const inWindow = (epochMs: number): TimeResult =>
  epochMs >= MIN_EPOCH_MS && epochMs < MAX_EPOCH_MS
    ? ok(epochMs)
    : fail(
        'INVALID_TIMESTAMP',
        `timestamp ${epochMs} ms is outside 2000-01-01..2100-01-01 UTC (wrong unit?)`,
      );

const describe = (value: unknown): string =>
  typeof value === 'string'
    ? `string ${quote(value)}`
    : typeof value === 'number'
      ? String(value)
      : typeName(value);
