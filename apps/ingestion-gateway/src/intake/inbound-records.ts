import { ContactInbound, TOPICS } from '@optstream/contracts';
import { partitionKeyOf } from '@optstream/ingestion-domain';
import { HEADER } from '@optstream/kafka';
import { keyedHash } from '@optstream/pii-crypto';
import { SpoolRecord } from '@optstream/ingestion-spool';

/**
 * The message key is a keyed hash of the strongest identifier, so one person's facts stay in order on one
 * partition and no plaintext email or phone ever sits in a key. Facts without one were rejected earlier.
 */
export function messageKey(hashKey: Buffer, fact: ContactInbound): string {
  const key = partitionKeyOf(fact.identifiers);
  if (key === null) throw new Error(`fact ${fact.eventId} has no identifier to key by`);
  return keyedHash(hashKey, key.kind, key.value);
}

export interface RecordContext {
  readonly traceparent?: string;
  /** The Segment source (write key owner) or provider account the request came from. */
  readonly sourceName?: string;
}

export function inboundRecord(
  hashKey: Buffer,
  fact: ContactInbound,
  value: Buffer,
  ctx: RecordContext,
): SpoolRecord {
  return {
    topic: TOPICS.contactInbound.name,
    key: Buffer.from(messageKey(hashKey, fact)),
    value,
    headers: {
      [HEADER.eventId]: fact.eventId,
      [HEADER.schema]: TOPICS.contactInbound.valueSchema,
      ...(ctx.traceparent ? { [HEADER.traceparent]: ctx.traceparent } : {}),
      ...(ctx.sourceName ? { 'optstream-source-name': ctx.sourceName } : {}),
    },
  };
}
