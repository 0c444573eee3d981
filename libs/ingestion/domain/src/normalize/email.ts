import { typeName } from '../guards';
import { fail, ok, type Result } from '../result';

export type EmailErrorCode = 'INVALID_EMAIL';

const MAX_EMAIL_LENGTH = 254; // RFC 5321 forward-path limit minus the angle brackets
const MAX_LOCAL_LENGTH = 64;
const MAX_LABEL_LENGTH = 63;

// Pragmatic RFC 5322 subset: dot-atom local part (no quoted strings, no comments), ASCII/punycode domain
// of at least two labels. Quoted local parts and IP-literal domains are legal but never seen in
// marketing lists, and accepting them would let junk become an identity key.
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const TLD = /^(?:[a-z]{2,}|xn--[a-z0-9-]+)$/;

/** Trims, lowercases and validates an email address; the value is the canonical identity key. */
export const normalizeEmail = (input: unknown): Result<string, EmailErrorCode> => {
  if (typeof input !== 'string')
    return fail('INVALID_EMAIL', `email must be a string; got ${typeName(input)}`);
  const value = input.trim().toLowerCase();
  const problem = emailProblem(value);
  return problem === null ? ok(value) : fail('INVALID_EMAIL', problem);
};

const emailProblem = (value: string): string | null => {
  if (value.length === 0) return 'email is empty';
  if (value.length > MAX_EMAIL_LENGTH)
    return `email is ${value.length} characters long; the maximum is ${MAX_EMAIL_LENGTH}`;
  if (/\s/.test(value)) return 'email contains whitespace';
  const at = value.lastIndexOf('@');
  if (at === -1) return 'email has no "@"';
  if (value.indexOf('@') !== at) return 'email has more than one "@"';
  return localPartProblem(value.slice(0, at)) ?? domainProblem(value.slice(at + 1));
};

const localPartProblem = (local: string): string | null => {
  if (local.length === 0) return 'email has nothing before "@"';
  if (local.length > MAX_LOCAL_LENGTH)
    return `email local part is longer than ${MAX_LOCAL_LENGTH} characters`;
  if (!LOCAL_PART.test(local)) return 'email local part has characters or dots that are not allowed';
  return null;
};

const domainProblem = (domain: string): string | null => {
  if (domain.length === 0) return 'email has no domain after "@"';
  const labels = domain.split('.');
  if (labels.length < 2) return 'email domain has no top-level domain';
  for (const label of labels) {
    if (label.length === 0) return 'email domain has an empty label (consecutive, leading or trailing dot)';
    if (label.length > MAX_LABEL_LENGTH)
      return `email domain label is longer than ${MAX_LABEL_LENGTH} characters`;
    if (!DOMAIN_LABEL.test(label)) return 'email domain has characters that are not allowed';
  }
  if (!TLD.test(labels[labels.length - 1] ?? ''))
    return 'email top-level domain must be letters (at least two) or punycode';
  return null;
};
