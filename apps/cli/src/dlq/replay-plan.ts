import type { DeadLetter } from '@optstream/contracts';
import { positionName, type LetterAt } from './letter-filter';

/** Added to every replayed message: which dead letter it came from. */
export const REPLAYED_FROM_HEADER = 'optstream-replayed-from';

/** The message a replay sends: the original bytes as they were, plus the replayed-from header. */
export interface ReplayMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer>;
}

export type SkipReason =
  | 'NO_ORIGINAL_TOPIC'
  | 'HEADERS_NOT_REPRESENTABLE'
  | 'TOPIC_MISSING'
  | 'COMPACTED_TOPIC'
  | 'UNREADABLE'
  | 'REDACTED'
  | 'SEALED'
  | 'KEY_DESTROYED';

export const SKIP_EXPLANATION: Record<SkipReason, string> = {
  NO_ORIGINAL_TOPIC: 'came over HTTP, so there is no original topic: give --to <topic>',
  HEADERS_NOT_REPRESENTABLE:
    'the original headers repeat a name or hold a null value, which cannot be resent unchanged',
  TOPIC_MISSING: 'the topic to replay into does not exist',
  COMPACTED_TOPIC:
    "the topic is compacted: the replayed state would become the contact's newest, over a newer state or an " +
    "erasure's tombstone; re-send the current state with `optstream audit --repair`, or check and pass --allow-compacted",
  UNREADABLE: 'not a readable dead-letter record',
  REDACTED: 'its original value was not kept (a fact about an erased contact): nothing to replay; purge it',
  SEALED:
    "its original value is sealed with a data key: set DATABASE_URL and OPTSTREAM_MASTER_KEYS (the identity resolver's) to open it",
  KEY_DESTROYED:
    'its original value was sealed with a key an erasure destroyed: the person is forgotten; purge it',
};

export type ReplayPlan =
  | { readonly kind: 'replay'; readonly topic: string; readonly message: ReplayMessage }
  | { readonly kind: 'skip'; readonly reason: SkipReason };

/**
 * Where and what to replay for one dead letter. `to` overrides the original topic; without it, input
 * that came over HTTP has nowhere to go. The replayed-from header replaces one left by an earlier
 * replay (a replayed message that failed again): it names the dead letter this copy comes from.
 */
export function planReplay(at: LetterAt, to: string | undefined): ReplayPlan {
  const topic = to ?? at.letter.originalTopic;
  if (topic === null) return { kind: 'skip', reason: 'NO_ORIGINAL_TOPIC' };
  if (at.letter.redacted !== null && at.letter.originalValue === null)
    return { kind: 'skip', reason: 'REDACTED' };
  const headers = originalHeaders(at.letter);
  if (headers === null) return { kind: 'skip', reason: 'HEADERS_NOT_REPRESENTABLE' };
  headers[REPLAYED_FROM_HEADER] = Buffer.from(positionName(at));
  return {
    kind: 'replay',
    topic,
    message: { key: at.letter.originalKey, value: at.letter.originalValue, headers },
  };
}

/**
 * The original headers as a name → bytes map, or null when that would change them: the publisher takes
 * one value per name and no null values, and "unchanged" is the promise of a replay. optstream's own
 * producers never write either, so this only stops foreign or hand-made messages.
 */
function originalHeaders(letter: DeadLetter): Record<string, Buffer> | null {
  const headers: Record<string, Buffer> = {};
  for (const { key, value } of letter.originalHeaders) {
    if (value === null || Object.prototype.hasOwnProperty.call(headers, key)) return null;
    headers[key] = value;
  }
  return headers;
}

/**
 * Opens a sealed dead-letter value (`sealedWithKeyId`) with the identity store's data keys; null when
 * the key was destroyed by an erasure.
 */
export type DeadLetterOpener = (letter: DeadLetter) => Promise<Buffer | null>;

/** The plan with its value opened when it was sealed; a skip when it cannot be. */
export async function openedPlan(
  plan: ReplayPlan,
  letter: DeadLetter,
  opener: DeadLetterOpener | null,
): Promise<ReplayPlan> {
  if (plan.kind === 'skip' || letter.sealedWithKeyId === null) return plan;
  if (opener === null) return { kind: 'skip', reason: 'SEALED' };
  const value = await opener(letter);
  if (value === null) return { kind: 'skip', reason: 'KEY_DESTROYED' };
  return { ...plan, message: { ...plan.message, value } };
}

/** Counts for the summary: per topic replayed into, per skip reason. */
export class ReplayTally {
  readonly replayed = new Map<string, number>();
  readonly skipped = new Map<SkipReason, number>();

  replay(topic: string): void {
    this.replayed.set(topic, (this.replayed.get(topic) ?? 0) + 1);
  }

  skip(reason: SkipReason): void {
    this.skipped.set(reason, (this.skipped.get(reason) ?? 0) + 1);
  }

  get replayedTotal(): number {
    return sum(this.replayed);
  }

  get skippedTotal(): number {
    return sum(this.skipped);
  }

  /**
   * The summary's lines: what was (or, for a dry run, would be) replayed where, and every skip reason.
   * Sorted by name, since partitions are read interleaved and two runs should read the same.
   */
  summary(dryRun: boolean): string[] {
    const perTopic = sorted(this.replayed)
      .map(([topic, n]) => `${topic} ${n}`)
      .join(', ');
    const lines = [
      `${dryRun ? 'dry run: would replay' : 'replayed'} ${this.replayedTotal} dead letter(s)` +
        (perTopic ? ` (${perTopic})` : '') +
        (dryRun ? '; nothing was sent' : ''),
      `skipped ${this.skippedTotal}`,
    ];
    for (const [reason, n] of sorted(this.skipped))
      lines.push(`  ${n} ${reason}: ${SKIP_EXPLANATION[reason]}`);
    return lines;
  }
}

const sum = (counts: ReadonlyMap<unknown, number>): number => [...counts.values()].reduce((a, b) => a + b, 0);

const sorted = <K extends string>(counts: ReadonlyMap<K, number>): [K, number][] =>
  [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
