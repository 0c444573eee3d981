/**
 * An `application/x-www-form-urlencoded` body as decoded by the HTTP layer, keys verbatim
 * (Mailchimp's PHP-style `data[merges][FNAME]` stays one flat key). Repeated keys give arrays.
 */
export type FormFields = { readonly [name: string]: string | readonly string[] | undefined };

/** Decodes a raw form body without any I/O; repeated keys become arrays, in order. */
export const parseFormBody = (raw: string): FormFields => {
  // No prototype: a `__proto__` field must stay data.
  const fields: { [name: string]: string | string[] } = Object.create(null);
  for (const [name, value] of new URLSearchParams(raw)) {
    const existing = fields[name];
    if (existing === undefined) fields[name] = value;
    else fields[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return fields;
};

/** The single value of a field; a repeated field is ambiguous and reads as its first value. */
export const formValue = (fields: FormFields, name: string): string | undefined => {
  if (!Object.prototype.hasOwnProperty.call(fields, name)) return undefined;
  const value = fields[name];
  return typeof value === 'string' ? value : value?.[0];
};
