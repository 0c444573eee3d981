import type { AvroCodec } from '../codec';
import { isRetriable } from '../errors';

export type DecodedRecord<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: unknown };

/**
 * Decodes one record's value, the one way every reader of the log tells a bad record from a bad moment:
 * a retriable failure (the registry unreachable) is thrown — the record is fine and the read must wait
 * or fail, never skip it; any other failure means the record itself cannot be decoded, and is returned
 * so the caller dead-letters it (a live consumer), or skips and counts it (a rebuild: the live consumer
 * dead-lettered it already), or reports it (the CLI).
 */
export async function decodeRecord<T>(codec: AvroCodec, value: Buffer | null): Promise<DecodedRecord<T>> {
  try {
    return { ok: true, value: await codec.decode<T>(value) };
  } catch (error) {
    if (isRetriable(error)) throw error;
    return { ok: false, error };
  }
}
