// Generated from schemas/*.avsc by tools/codegen/avro-to-ts.ts — do not edit.

/** The name of schemas/dead-letter.v1.avsc, as used in `TOPICS[...].valueSchema`. */
export const DeadLetterSchemaName = 'dead-letter.v1';

/**
 * What could not be processed, with the ORIGINAL bytes so it can be inspected and replayed.
 * Avro record `io.optstream.deadletter.v1.DeadLetter`.
 */
export interface DeadLetter {
  /** The service (consumer group) that gave up. */
  readonly service: string;
  /** null when the input came over HTTP. */
  readonly originalTopic: string | null;
  readonly originalPartition: number | null;
  readonly originalOffset: string | null;
  readonly originalKey: Buffer | null;
  readonly originalValue: Buffer | null;
  readonly originalHeaders: readonly Header[];
  /** A stable, documented code, e.g. DECODE_FAILED, INVALID_EMAIL. */
  readonly errorCode: string;
  /** Human-readable explanation. */
  readonly reason: string;
  readonly attempts: number;
  /** Epoch milliseconds (Avro timestamp-millis, decoded as a number). */
  readonly firstFailedAt: number;
  /** Epoch milliseconds (Avro timestamp-millis, decoded as a number). */
  readonly lastFailedAt: number;
  /** originalValue is sealed (AES-256-GCM) with this data key (identity.data_keys.key_id), which erasure destroys; null: as received. */
  readonly sealedWithKeyId: string | null;
  /** What was removed from the original before dead-lettering, and why (personal data that may not be kept); null: nothing. */
  readonly redacted: string | null;
}

/** Avro record `io.optstream.deadletter.v1.Header`. */
export interface Header {
  readonly key: string;
  readonly value: Buffer | null;
}

/** schemas/dead-letter.v1.avsc verbatim, so runtime code (registry, codecs) never reads files. */
export const DeadLetterSchema = {
  type: 'record',
  name: 'DeadLetter',
  namespace: 'io.optstream.deadletter.v1',
  doc: 'What could not be processed, with the ORIGINAL bytes so it can be inspected and replayed.',
  fields: [
    { name: 'service', type: 'string', doc: 'The service (consumer group) that gave up.' },
    {
      name: 'originalTopic',
      type: ['null', 'string'],
      default: null,
      doc: 'null when the input came over HTTP.',
    },
    { name: 'originalPartition', type: ['null', 'int'], default: null },
    { name: 'originalOffset', type: ['null', 'string'], default: null },
    { name: 'originalKey', type: ['null', 'bytes'], default: null },
    { name: 'originalValue', type: ['null', 'bytes'], default: null },
    {
      name: 'originalHeaders',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'Header',
          fields: [
            { name: 'key', type: 'string' },
            { name: 'value', type: ['null', 'bytes'], default: null },
          ],
        },
      },
      default: [],
    },
    {
      name: 'errorCode',
      type: 'string',
      doc: 'A stable, documented code, e.g. DECODE_FAILED, INVALID_EMAIL.',
    },
    { name: 'reason', type: 'string', doc: 'Human-readable explanation.' },
    { name: 'attempts', type: 'int' },
    { name: 'firstFailedAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'lastFailedAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    {
      name: 'sealedWithKeyId',
      type: ['null', 'string'],
      default: null,
      doc: 'originalValue is sealed (AES-256-GCM) with this data key (identity.data_keys.key_id), which erasure destroys; null: as received.',
    },
    {
      name: 'redacted',
      type: ['null', 'string'],
      default: null,
      doc: 'What was removed from the original before dead-lettering, and why (personal data that may not be kept); null: nothing.',
    },
  ],
} as const;
