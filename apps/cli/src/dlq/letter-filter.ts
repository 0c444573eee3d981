import type { DeadLetter } from '@optstream/contracts';

/** Where a dead letter sits in its dead-letter topic. Offsets are decimal strings, as KafkaJS gives them. */
export interface DeadLetterPosition {
  readonly partition: number;
  readonly offset: string;
}

/** A dead letter as read: the decoded record and where (and when, by Kafka record time) it was written. */
export interface LetterAt {
  readonly topic: string;
  readonly position: DeadLetterPosition;
  readonly timestamp: number;
  readonly letter: DeadLetter;
}

/** Which dead letters a command works on. Empty lists match everything. */
export interface LetterFilter {
  readonly errorCodes: readonly string[];
  readonly originalTopics: readonly string[];
  readonly offsets: readonly DeadLetterPosition[];
  /** Kafka record time, epoch ms; the read also starts there, this catches records written out of order. */
  readonly since: number | undefined;
}

const oneOf = <T>(wanted: readonly T[], value: T): boolean => wanted.length === 0 || wanted.includes(value);

export function selects(filter: LetterFilter, at: LetterAt): boolean {
  return selectsPosition(filter, at.position, at.timestamp) && selectsContent(filter, at.letter);
}

/** The part of the filter that needs no decoding: checked first, so an unselected record is never decoded. */
export function selectsPosition(
  filter: LetterFilter,
  position: DeadLetterPosition,
  timestamp: number,
): boolean {
  return (
    (filter.offsets.length === 0 ||
      filter.offsets.some((o) => o.partition === position.partition && o.offset === position.offset)) &&
    (filter.since === undefined || timestamp >= filter.since)
  );
}

function selectsContent(filter: LetterFilter, letter: DeadLetter): boolean {
  return (
    oneOf(filter.errorCodes, letter.errorCode) &&
    // A dead letter from HTTP input has no original topic, so any --original-topic excludes it.
    (filter.originalTopics.length === 0 ||
      (letter.originalTopic !== null && filter.originalTopics.includes(letter.originalTopic)))
  );
}

/** `<topic>/<partition>/<offset>`: how a dead letter is named on screen and in optstream-replayed-from. */
export const positionName = (at: Pick<LetterAt, 'topic' | 'position'>): string =>
  `${at.topic}/${at.position.partition}/${at.position.offset}`;

/**
 * The decoder returns whatever schema the record was written with; this tells a dead letter from a
 * record of another topic (an operator pointing --topic at the wrong place).
 */
export function isDeadLetter(value: unknown): value is DeadLetter {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['service'] === 'string' &&
    typeof v['errorCode'] === 'string' &&
    typeof v['reason'] === 'string' &&
    typeof v['attempts'] === 'number' &&
    typeof v['firstFailedAt'] === 'number' &&
    typeof v['lastFailedAt'] === 'number' &&
    Array.isArray(v['originalHeaders'])
  );
}
