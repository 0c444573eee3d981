import type { DeadLetter } from '@optstream/contracts';
import { maskPii } from '@optstream/pii-crypto';
import { IHeaders, KafkaMessage } from 'kafkajs';
import { errorCode, errorMessage } from './errors';

export interface FailedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
  readonly error: unknown;
  readonly attempts: number;
  readonly firstFailedAt: number;
  readonly lastFailedAt: number;
}

function headerList(headers: IHeaders | undefined): DeadLetter['originalHeaders'] {
  if (!headers) return [];
  return Object.entries(headers).flatMap(([key, value]) => {
    const values = Array.isArray(value) ? value : [value];
    return values.map((v) => ({
      key,
      // A header sent with no value decodes as null (or undefined): kept as null, never an exception.
      value: v === undefined || v === null ? null : Buffer.isBuffer(v) ? v : Buffer.from(v),
    }));
  });
}

/**
 * The dead-letter record for a Kafka message: original bytes and headers, why, and how often it failed.
 * The reason is masked like a log line (an error may quote an address); the bytes are as received — a
 * service whose input carries personal data seals them before publishing (`sealDeadLetterValue`).
 */
export function deadLetterFromMessage(service: string, failed: FailedMessage): DeadLetter {
  return {
    service,
    originalTopic: failed.topic,
    originalPartition: failed.partition,
    originalOffset: failed.message.offset,
    originalKey: failed.message.key ?? null,
    originalValue: failed.message.value ?? null,
    originalHeaders: headerList(failed.message.headers),
    errorCode: errorCode(failed.error),
    reason: maskPii(errorMessage(failed.error)),
    attempts: failed.attempts,
    firstFailedAt: failed.firstFailedAt,
    lastFailedAt: failed.lastFailedAt,
    sealedWithKeyId: null,
    redacted: null,
  };
}

/**
 * The dead-letter record for input that arrived over HTTP (a bad event inside a provider batch). The
 * caller passes the body with its identifiers already replaced (`redacted` says how); the reason is masked.
 */
export function deadLetterFromHttp(
  service: string,
  input: {
    body: Buffer;
    key: string | null;
    headers: Record<string, string>;
    code: string;
    reason: string;
    at: number;
    redacted: string | null;
  },
): DeadLetter {
  return {
    service,
    originalTopic: null,
    originalPartition: null,
    originalOffset: null,
    originalKey: input.key === null ? null : Buffer.from(input.key),
    originalValue: input.body,
    originalHeaders: Object.entries(input.headers).map(([key, value]) => ({
      key,
      value: Buffer.from(value),
    })),
    errorCode: input.code,
    reason: maskPii(input.reason),
    attempts: 1,
    firstFailedAt: input.at,
    lastFailedAt: input.at,
    sealedWithKeyId: null,
    redacted: input.redacted,
  };
}

/**
 * Associated data of a sealed dead-letter value: the message it was read from, so sealed bytes copied
 * into another dead letter do not open there.
 */
export function deadLetterAssociatedData(letter: DeadLetter): Buffer {
  return Buffer.from(
    JSON.stringify([
      'optstream.dead-letter.v1',
      letter.originalTopic,
      letter.originalPartition,
      letter.originalOffset,
    ]),
    'utf8',
  );
}
