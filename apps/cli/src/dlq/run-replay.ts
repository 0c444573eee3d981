import type { EventPublisher } from '@optstream/kafka';
import { originalEventId } from './dead-letter-row';
import type { DlqReplayOptions } from './dlq-options';
import { positionName, type LetterAt } from './letter-filter';
import { readDeadLetters } from './read-dead-letters';
import {
  openedPlan,
  planReplay,
  type DeadLetterOpener,
  ReplayTally,
  SKIP_EXPLANATION,
  type ReplayMessage,
  type SkipReason,
} from './replay-plan';
import type { DlqReadDeps } from './run-list';
import type { TopicCatalog } from './topic-catalog';

/** The idempotent, acks=all producer replays go through (EventPublisher in production). */
export type ReplaySink = Pick<EventPublisher, 'publishRaw'>;

export interface DlqReplayDeps extends DlqReadDeps {
  readonly catalog: TopicCatalog;
  /** null for a dry run: nothing can be sent. */
  readonly sink: ReplaySink | null;
  /** Opens sealed dead letters; null when no identity store is configured (they are skipped as SEALED). */
  readonly opener?: DeadLetterOpener | null;
}

export interface ReplayReport {
  readonly dryRun: boolean;
  readonly tally: ReplayTally;
}

/** Selected dead letters are sent in batches of this many: one acknowledged round trip each. */
const BATCH = 500;

interface Pending {
  readonly at: LetterAt;
  readonly topic: string;
  readonly message: ReplayMessage;
}

/**
 * `optstream dlq replay`: resends each selected dead letter's original key, value and headers into its
 * original topic (or --to) and prints one line per dead letter once the broker acknowledged it. On a
 * failure the summary still says what was replayed before it; running again is safe (see
 * docs/dead-letters.md: consumers deduplicate by event id).
 */
export async function runDlqReplay(options: DlqReplayOptions, deps: DlqReplayDeps): Promise<ReplayReport> {
  const run = new ReplayRun(options, deps);
  try {
    await readDeadLetters(deps.kafka, deps.codec, {
      topic: options.topic,
      filter: options.filter,
      onUnreadable: (record, why) =>
        run.skip(positionName({ topic: record.topic, position: record }), 'UNREADABLE', why),
      onLetter: (at) => run.offer(at),
    });
    await run.flush();
  } finally {
    // On a failure too: what was acknowledged before it is replayed for good, and the operator must know.
    deps.stderr.write(`${run.tally.summary(options.dryRun).join('\n')}\n`);
  }
  return { dryRun: options.dryRun, tally: run.tally };
}

class ReplayRun {
  readonly tally = new ReplayTally();
  private readonly warnedCompacted = new Set<string>();
  private pending: Pending[] = [];

  constructor(
    private readonly options: DlqReplayOptions,
    private readonly deps: DlqReplayDeps,
  ) {}

  skip(name: string, reason: SkipReason, detail = SKIP_EXPLANATION[reason]): void {
    this.tally.skip(reason);
    this.deps.stderr.write(`skipped ${name} ${reason}: ${detail}\n`);
  }

  async offer(at: LetterAt): Promise<void> {
    const plan = await openedPlan(planReplay(at, this.options.to), at.letter, this.deps.opener ?? null);
    if (plan.kind === 'skip') return this.skip(positionName(at), plan.reason);
    const facts = await this.deps.catalog.facts(plan.topic);
    if (!facts.exists)
      return this.skip(positionName(at), 'TOPIC_MISSING', `topic ${plan.topic} does not exist`);
    if (facts.compacted && !this.options.allowCompacted)
      return this.skip(positionName(at), 'COMPACTED_TOPIC');
    if (facts.compacted && !this.warnedCompacted.has(plan.topic)) {
      this.warnedCompacted.add(plan.topic);
      this.deps.stderr.write(compactedWarning(plan.topic));
    }
    if (this.options.dryRun) {
      this.tally.replay(plan.topic);
      this.deps.stdout.write(`would replay ${replayLine(at, plan.topic)}\n`);
      return;
    }
    this.pending.push({ at, topic: plan.topic, message: plan.message });
    if (this.pending.length >= BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    for (const [topic, items] of byTopic(batch)) {
      if (this.deps.sink === null) throw new Error('dlq replay: no producer outside a dry run');
      await this.deps.sink.publishRaw(
        topic,
        items.map((p) => p.message),
      );
      for (const item of items) {
        this.tally.replay(topic);
        this.deps.stdout.write(`replayed ${replayLine(item.at, topic)}\n`);
      }
    }
  }
}

function byTopic(batch: readonly Pending[]): Map<string, Pending[]> {
  const topics = new Map<string, Pending[]>();
  for (const item of batch) {
    const items = topics.get(item.topic) ?? [];
    items.push(item);
    topics.set(item.topic, items);
  }
  return topics;
}

const replayLine = (at: LetterAt, topic: string): string => {
  const eventId = originalEventId(at.letter);
  return `${positionName(at)} -> ${topic} [${at.letter.errorCode}]${eventId === null ? '' : ` event ${eventId}`}`;
};

/**
 * On a compacted topic (contact-preferences.state.v1, where connector dead letters come from) a replayed
 * state becomes its key's newest record, and compaction keeps it over anything newer — or over an
 * erasure's tombstone — written before the replay. Only the operator can know it is still current.
 */
const compactedWarning = (topic: string): string =>
  `warning: ${topic} is compacted: a replayed message becomes its key's newest value there. Replay a ` +
  `state only if it is still the contact's newest and the contact was not erased (docs/dead-letters.md)\n`;
