/** Narrowing helpers for untrusted JSON; they never throw. */
export type JsonObject = { readonly [key: string]: unknown };

export const isRecord = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON-ish type name for error reasons ("null" and "array" rather than "object"). */
export const typeName = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
};

/** Quotes a provider value for a reason, cut short so a reason never carries a whole payload. */
export const quote = (value: string, max = 40): string =>
  JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
