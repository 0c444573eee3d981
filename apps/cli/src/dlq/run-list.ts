import type { Writable } from 'node:stream';
import type { AvroCodec } from '@optstream/kafka';
import type { Kafka } from 'kafkajs';
import type { ReadSummary } from '@optstream/kafka';
import { recordWriter } from '../output/record-writer';
import { DEAD_LETTER_SHAPE, errorCodeCounts } from './dead-letter-row';
import type { DlqListOptions } from './dlq-options';
import { positionName } from './letter-filter';
import { readDeadLetters } from './read-dead-letters';

export interface DlqIo {
  /** Rows (list) or what was replayed (replay). */
  readonly stdout: Writable;
  /** Counts, skips and notes. */
  readonly stderr: Writable;
}

export interface DlqReadDeps extends DlqIo {
  readonly kafka: Kafka;
  readonly codec: AvroCodec;
}

export interface ListReport {
  readonly listed: number;
  readonly byErrorCode: ReadonlyMap<string, number>;
  readonly unreadable: number;
  readonly read: ReadSummary;
}

/** `optstream dlq list`: one row per selected dead letter, streamed as read; counts per error code on stderr. */
export async function runDlqList(options: DlqListOptions, deps: DlqReadDeps): Promise<ListReport> {
  const writer = recordWriter(deps.stdout, options.format, DEAD_LETTER_SHAPE);
  const byErrorCode = new Map<string, number>();
  let unreadable = 0;
  const read = await readDeadLetters(deps.kafka, deps.codec, {
    topic: options.topic,
    filter: options.filter,
    onLetter: async (at) => {
      byErrorCode.set(at.letter.errorCode, (byErrorCode.get(at.letter.errorCode) ?? 0) + 1);
      await writer.write(at);
    },
    onUnreadable: (record, why) => {
      unreadable += 1;
      deps.stderr.write(`unreadable: ${positionName({ topic: record.topic, position: record })}: ${why}\n`);
    },
  });
  await writer.end();
  const listed = [...byErrorCode.values()].reduce((a, b) => a + b, 0);
  deps.stderr.write(
    `${listed} dead letter(s) listed of ${read.read} record(s) read from ${options.topic}` +
      (unreadable ? `; ${unreadable} unreadable` : '') +
      '\n' +
      (listed ? `by error code: ${errorCodeCounts(byErrorCode)}\n` : ''),
  );
  return { listed, byErrorCode, unreadable, read };
}
