import {
  isSupportedCountry,
  parsePhoneNumberWithError,
  ParseError,
  validatePhoneNumberLength,
  type CountryCode,
  type PhoneNumber,
} from 'libphonenumber-js/max';
import { typeName } from '../guards';
import { assertNever, fail, ok, type Result } from '../result';

export type PhoneErrorCode = 'INVALID_PHONE' | 'INVALID_DEFAULT_REGION';

const MAX_PHONE_INPUT_LENGTH = 64;

/**
 * Parses a phone number into E.164. Uses the `max` metadata: the default `min` metadata validates by
 * length only, and phone is the weakest identity key, so digit patterns are checked too.
 * `defaultRegion` (ISO 3166-1 alpha-2, e.g. "US") applies only to numbers written without "+".
 * The whole string must be the number (`extract: false`): "call +1 213 373 4253" is not a phone.
 */
export const normalizePhone = (input: unknown, defaultRegion: string): Result<string, PhoneErrorCode> => {
  if (!isSupportedCountry(defaultRegion)) {
    return fail(
      'INVALID_DEFAULT_REGION',
      `default region ${JSON.stringify(defaultRegion)} is not a supported ISO country code`,
    );
  }
  if (typeof input !== 'string')
    return fail('INVALID_PHONE', `phone must be a string; got ${typeName(input)}`);
  const text = input.trim();
  if (text.length === 0) return fail('INVALID_PHONE', 'phone is empty');
  if (text.length > MAX_PHONE_INPUT_LENGTH)
    return fail('INVALID_PHONE', `phone is longer than ${MAX_PHONE_INPUT_LENGTH} characters`);
  const parsed = parse(text, defaultRegion);
  if (!parsed.ok) return parsed;
  if (parsed.value.isValid()) return ok(parsed.value.number);
  return fail('INVALID_PHONE', invalidReason(text, defaultRegion));
};

const parse = (text: string, region: CountryCode): Result<PhoneNumber, 'INVALID_PHONE'> => {
  try {
    return ok(parsePhoneNumberWithError(text, { defaultCountry: region, extract: false }));
  } catch (error) {
    if (error instanceof ParseError) return fail('INVALID_PHONE', parseErrorReason(error.message));
    throw error;
  }
};

const parseErrorReason = (message: string): string => {
  switch (message) {
    case 'INVALID_COUNTRY':
      return 'phone has no valid country: write it with "+" and a country calling code, or configure a default region';
    case 'NOT_A_NUMBER':
      return 'phone is not a number';
    case 'TOO_SHORT':
      return 'phone is too short';
    case 'TOO_LONG':
      return 'phone is too long';
    case 'INVALID_LENGTH':
      return 'phone has an invalid length';
    default:
      return `phone could not be parsed (${message})`;
  }
};

const invalidReason = (text: string, region: CountryCode): string => {
  const lengthProblem = validatePhoneNumberLength(text, region);
  switch (lengthProblem) {
    case undefined:
      return 'phone is not a valid number for its country (no number plan matches these digits)';
    case 'TOO_SHORT':
    case 'TOO_LONG':
    case 'INVALID_LENGTH':
    case 'INVALID_COUNTRY':
    case 'NOT_A_NUMBER':
      return parseErrorReason(lengthProblem);
    default:
      return assertNever(lengthProblem);
  }
};
