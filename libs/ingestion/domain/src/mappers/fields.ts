import { isRecord, quote, typeName, type JsonObject } from '../guards';
import { fail, ok, type Result } from '../result';

export type FieldErrorCode = 'MISSING_FIELD' | 'INVALID_FIELD';
type FieldResult<T> = Result<T, FieldErrorCode>;

const isAbsent = (value: unknown): boolean => value === undefined || value === null;

/** A non-empty string of at most `max` characters; `path` names the field in the reason. */
export const requiredString = (value: unknown, path: string, max = 255): FieldResult<string> => {
  if (isAbsent(value)) return fail('MISSING_FIELD', `${path} is required`);
  return presentString(value, path, max);
};

/** Like `requiredString`, but null and undefined are `undefined`. */
export const optionalString = (value: unknown, path: string, max = 255): FieldResult<string | undefined> =>
  isAbsent(value) ? ok(undefined) : presentString(value, path, max);

const presentString = (value: unknown, path: string, max: number): FieldResult<string> => {
  if (typeof value !== 'string')
    return fail('INVALID_FIELD', `${path} must be a string; got ${typeName(value)}`);
  if (value.trim().length === 0) return fail('INVALID_FIELD', `${path} must not be empty`);
  if (value.length > max)
    return fail('INVALID_FIELD', `${path} must be at most ${max} characters; got ${value.length}`);
  return ok(value);
};

/** One of a closed set of string values, compared exactly. */
export const requiredOneOf = <T extends string>(
  value: unknown,
  path: string,
  allowed: readonly T[],
): FieldResult<T> => {
  if (isAbsent(value)) return fail('MISSING_FIELD', `${path} is required (one of ${allowed.join(', ')})`);
  return presentOneOf(value, path, allowed);
};

export const optionalOneOf = <T extends string>(
  value: unknown,
  path: string,
  allowed: readonly T[],
): FieldResult<T | undefined> => (isAbsent(value) ? ok(undefined) : presentOneOf(value, path, allowed));

const presentOneOf = <T extends string>(
  value: unknown,
  path: string,
  allowed: readonly T[],
): FieldResult<T> => {
  const found = allowed.find((a) => a === value);
  if (found !== undefined) return ok(found);
  const got = typeof value === 'string' ? quote(value) : typeName(value);
  return fail('INVALID_FIELD', `${path} must be one of ${allowed.join(', ')}; got ${got}`);
};

export const requiredBoolean = (value: unknown, path: string): FieldResult<boolean> => {
  if (isAbsent(value)) return fail('MISSING_FIELD', `${path} is required (true or false)`);
  return presentBoolean(value, path);
};

export const optionalBoolean = (value: unknown, path: string): FieldResult<boolean | undefined> =>
  isAbsent(value) ? ok(undefined) : presentBoolean(value, path);

const presentBoolean = (value: unknown, path: string): FieldResult<boolean> =>
  typeof value === 'boolean'
    ? ok(value)
    : fail('INVALID_FIELD', `${path} must be a boolean; got ${typeName(value)}`);

/** An optional JSON object; absent gives an empty object. */
export const optionalObject = (value: unknown, path: string): FieldResult<JsonObject> => {
  if (isAbsent(value)) return ok({});
  return isRecord(value)
    ? ok(value)
    : fail('INVALID_FIELD', `${path} must be an object; got ${typeName(value)}`);
};

export const requiredObject = (value: unknown, path: string): FieldResult<JsonObject> => {
  if (isAbsent(value)) return fail('MISSING_FIELD', `${path} is required`);
  return isRecord(value)
    ? ok(value)
    : fail('INVALID_FIELD', `${path} must be an object; got ${typeName(value)}`);
};
