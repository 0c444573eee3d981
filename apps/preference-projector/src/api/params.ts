import { normalizeEmail, normalizePhone } from './normalize';
import { httpError } from '@optstream/http-errors';
import { checkExternalId } from '@optstream/shared-identifiers';

/** The gateway's own rule, so every id it accepts can be read, exported and erased here. */
export function externalIdParam(value: string): string {
  const checked = checkExternalId('externalId', value);
  if (checked.kind === 'valid') return checked.value;
  throw httpError(
    400,
    'INVALID_EXTERNAL_ID',
    checked.kind === 'invalid'
      ? checked.reason
      : 'externalId is blank or a placeholder (such as "null" or "anonymous") that is never stored as an id',
  );
}

export function isoParam(name: string, value: string | undefined, required: boolean): number | undefined {
  if (value === undefined || value === '') {
    if (required) throw httpError(400, 'MISSING_PARAMETER', `${name} is required (ISO 8601 time)`);
    return undefined;
  }
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(ms))
    throw httpError(400, 'INVALID_TIME', `${name} must be an ISO 8601 date-time, e.g. 2026-03-01T00:00:00Z`);
  return ms;
}

export function lookupParam(
  email: string | undefined,
  phone: string | undefined,
): {
  kind: 'email' | 'phone';
  value: string;
} {
  if ((email === undefined) === (phone === undefined))
    throw httpError(400, 'INVALID_LOOKUP', 'give exactly one of email or phone');
  if (email !== undefined) {
    const normalized = normalizeEmail(email);
    if (normalized === null) throw httpError(400, 'INVALID_EMAIL', 'email is not a valid address');
    return { kind: 'email', value: normalized };
  }
  const normalized = normalizePhone(phone ?? '');
  if (normalized === null)
    throw httpError(400, 'INVALID_PHONE', 'phone must be in E.164 format, e.g. +14155550123');
  return { kind: 'phone', value: normalized };
}
