import type { DeadLetter } from '@optstream/contracts';
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

/** The dead-letter record for a Kafka message: original bytes and headers, why, and how often it failed. */
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
    reason: errorMessage(failed.error),
    attempts: failed.attempts,
    firstFailedAt: failed.firstFailedAt,
    lastFailedAt: failed.lastFailedAt,
  };
}

/** The dead-letter record for input that arrived over HTTP (a bad event inside a provider batch). */
export function deadLetterFromHttp(
  service: string,
  input: {
    body: Buffer;
    key: string | null;
    headers: Record<string, string>;
    code: string;
    reason: string;
    at: number;
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
    reason: input.reason,
    attempts: 1,
    firstFailedAt: input.at,
    lastFailedAt: input.at,
  };
}
