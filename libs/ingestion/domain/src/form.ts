/**
 * An `application/x-www-form-urlencoded` body as decoded by the HTTP layer, keys verbatim
 * (Mailchimp's PHP-style `data[merges][FNAME]` stays one flat key). Repeated keys give arrays.
 */
export type FormFields = { readonly [name: string]: string | readonly string[] | undefined };

/**
 * The most fields a webhook form may carry. Twilio's inbound SMS has about 25 (plus a MediaUrl and a
 * MediaContentType per attachment, at most 10), Mailchimp's profile webhook one per merge field and
 * interest group; 1,000 leaves room for both and bounds the work done before a signature is checked.
 */
export const FORM_MAX_FIELDS = 1_000;

/** A form body with more fields than the limit: refused before any signature is computed over it. */
export class FormFieldLimitExceeded extends Error {
  constructor(readonly maxFields: number) {
    super(`the form has more than ${maxFields} fields`);
    this.name = 'FormFieldLimitExceeded';
  }
}

/**
 * Decodes a raw form body without any I/O; repeated keys become arrays, in order. Linear in the body's
 * length: a repeated key is appended in place (copying the array per repeat made a body of `a=1&a=1&…`
 * quadratic, and it is parsed before the sender is authenticated).
 */
export const parseFormBody = (raw: string, maxFields: number = FORM_MAX_FIELDS): FormFields => {
  // No prototype: a `__proto__` field must stay data.
  const fields: { [name: string]: string | string[] } = Object.create(null);
  let count = 0;
  let start = 0;
  // Pair by pair, so a body of a million fields costs the first `maxFields` of them and no more;
  // each pair is decoded by URLSearchParams itself, so `+`, `%XX` and bad escapes read as it reads them.
  while (start <= raw.length) {
    const end = raw.indexOf('&', start);
    const pair = raw.slice(start, end === -1 ? raw.length : end);
    start = end === -1 ? raw.length + 1 : end + 1;
    for (const [name, value] of new URLSearchParams(pair)) {
      if (++count > maxFields) throw new FormFieldLimitExceeded(maxFields);
      const existing = fields[name];
      if (existing === undefined) fields[name] = value;
      else if (Array.isArray(existing)) existing.push(value);
      else fields[name] = [existing, value];
    }
  }
  return fields;
};

/** The single value of a field; a repeated field is ambiguous and reads as its first value. */
export const formValue = (fields: FormFields, name: string): string | undefined => {
  if (!Object.prototype.hasOwnProperty.call(fields, name)) return undefined;
  const value = fields[name];
  return typeof value === 'string' ? value : value?.[0];
};
