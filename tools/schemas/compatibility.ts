import { Type } from 'avsc';

export type Compatibility =
  | { readonly compatible: true }
  | { readonly compatible: false; readonly reason: string };

type AvroSchema = Parameters<typeof Type.forSchema>[0];

/**
 * BACKWARD (the registry's default and our rule): a consumer on `next` can read everything written with
 * `previous`. avsc's resolver applies Avro's resolution rules (defaults for added fields, enum defaults,
 * promotions, aliases) and throws when they cannot bridge the two, so "a resolver exists" is the check.
 */
export function checkBackward(previous: object, next: object): Compatibility {
  let writer: Type;
  let reader: Type;
  try {
    writer = Type.forSchema(previous as AvroSchema);
  } catch (error) {
    return { compatible: false, reason: `previous schema is invalid: ${messageOf(error)}` };
  }
  try {
    reader = Type.forSchema(next as AvroSchema);
  } catch (error) {
    return { compatible: false, reason: `new schema is invalid: ${messageOf(error)}` };
  }
  try {
    reader.createResolver(writer);
    return { compatible: true };
  } catch (error) {
    return { compatible: false, reason: messageOf(error) };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
