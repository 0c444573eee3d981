import type { DeadLetter } from '@optstream/contracts';
import { HEADER } from '@optstream/kafka';
import type { Cell, RowShape } from '../output/record-writer';
import type { LetterAt } from './letter-filter';

const iso = (ms: number): string => new Date(ms).toISOString();

/** The original message's optstream-event-id header (the id consumers deduplicate by), if it had one. */
export function originalEventId(letter: DeadLetter): string | null {
  const header = letter.originalHeaders.find((h) => h.key === HEADER.eventId);
  return header?.value?.toString('utf8') ?? null;
}

/**
 * What `dlq list` shows of a dead letter. Deliberately no key, value or header values other than the
 * event id: the original bytes may hold emails, phone numbers or traits, and a listing ends up in
 * terminals, tickets and chat. The value's size says whether there is anything to replay.
 */
export const deadLetterJson = ({ position, letter }: LetterAt) => ({
  deadLetter: { partition: position.partition, offset: position.offset },
  service: letter.service,
  errorCode: letter.errorCode,
  reason: letter.reason,
  attempts: letter.attempts,
  firstFailedAt: iso(letter.firstFailedAt),
  lastFailedAt: iso(letter.lastFailedAt),
  original: {
    topic: letter.originalTopic,
    partition: letter.originalPartition,
    offset: letter.originalOffset,
    eventId: originalEventId(letter),
    valueBytes: letter.originalValue?.length ?? null,
  },
});

export const DEAD_LETTER_SHAPE: RowShape<LetterAt> = {
  header: [
    'partition',
    'offset',
    'service',
    'error_code',
    'reason',
    'attempts',
    'first_failed_at',
    'last_failed_at',
    'original_topic',
    'original_partition',
    'original_offset',
    'original_event_id',
    'value_bytes',
  ],
  csv: (at): Cell[] => {
    const row = deadLetterJson(at);
    return [
      row.deadLetter.partition,
      row.deadLetter.offset,
      row.service,
      row.errorCode,
      row.reason,
      row.attempts,
      row.firstFailedAt,
      row.lastFailedAt,
      row.original.topic,
      row.original.partition,
      row.original.offset,
      row.original.eventId,
      row.original.valueBytes,
    ];
  },
  json: deadLetterJson,
};

/** "DECODE_FAILED 2, INVALID_EMAIL 1": counts per error code, most frequent first, then by name. */
export function errorCodeCounts(counts: ReadonlyMap<string, number>): string {
  return [...counts.entries()]
    .sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
}
