import { maskEmail } from './mask-email';
import { maskPhone } from './mask-phone';

/*
 * Deliberately generous: a log line with a harmless number masked costs a little debugging, a leaked
 * phone number cannot be taken back. Double quotes, braces and commas are not part of a match, so JSON and
 * quoted strings keep their structure.
 */
const LABEL = String.raw`[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?`;
const BACKTICK = '`';
const EMAIL = String.raw`[\p{L}\p{N}.!#$%&'*+/=?^_${BACKTICK}|~-]+@${LABEL}(?:\.${LABEL})*`;
/**
 * '+' and 7–15 digits, with up to two separators between digits: `+1 (415) 555-4567`. A leading '+' is
 * telling enough to mask it even when glued to other text (`tel:+14155554567`, `+14155554567today`).
 */
const INTERNATIONAL = String.raw`\+\d(?:[ .()-]{0,2}\d){6,14}`;
/**
 * 10–15 digits without '+': `(415) 555-4567`, `4155554567`. ISO dates (`2024-03-01 12:…`) are left
 * alone, and a digit run glued to letters, '-' or '_' (UUIDs, ids) is not a phone number.
 */
const NATIONAL = String.raw`(?!\d{4}-\d{2}-\d{2})\(?\d(?:[ .()-]{0,2}\d){9,14}`;
const PHONE = String.raw`${INTERNATIONAL}|(?<![\p{L}\p{N}_+-])${NATIONAL}(?![\p{L}\p{N}_-])`;

const EMAILS = new RegExp(EMAIL, 'gu');
const PHONES = new RegExp(PHONE, 'gu');

/**
 * Replaces every email address, then every phone-like number, in free text by what `replace` makes of
 * it. The one definition of "looks like an address" for logs, error strings and dead letters.
 */
export function replacePii(
  text: string,
  replace: (kind: 'email' | 'phone', match: string) => string,
): string {
  return text
    .replace(EMAILS, (email) => replace('email', email))
    .replace(PHONES, (phone) => replace('phone', phone));
}

/** Masks every email address and phone-like number in free text (log messages, error strings). */
export function maskPii(text: string): string {
  return replacePii(text, (kind, match) => (kind === 'email' ? maskEmail(match) : maskPhone(match)));
}
