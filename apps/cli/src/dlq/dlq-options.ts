import { parseIso } from '../history/history-options';
import { parseCommandLine } from '../command-line';
import { UsageError } from '../usage-error';
import type { DeadLetterPosition, LetterFilter } from './letter-filter';

export interface DlqListOptions {
  readonly command: 'list';
  /** The dead-letter topic to read. */
  readonly topic: string;
  readonly filter: LetterFilter;
  readonly format: 'csv' | 'json';
}

export interface DlqReplayOptions {
  readonly command: 'replay';
  readonly topic: string;
  readonly filter: LetterFilter;
  /** Replay every selected dead letter into this topic instead of its original topic. */
  readonly to: string | undefined;
  readonly dryRun: boolean;
  /** Replay into compacted topics too (the state topic); without it such letters are skipped. */
  readonly allowCompacted: boolean;
}

export type DlqOptions = DlqListOptions | DlqReplayOptions;

export const DLQ_USAGE = `usage:
  optstream dlq list   --topic <dead-letter topic> [filters] [--format csv|json]
  optstream dlq replay --topic <dead-letter topic> [filters] [--to <topic>] [--dry-run] [--allow-compacted]

Dead-letter topics: ingestion.dead-letter.v1, identity.dead-letter.v1, preferences.dead-letter.v1,
connectors.dead-letter.v1. Both commands read the topic from its beginning (or --since) up to its end
as it was when the command started; they never change the dead-letter topic.

filters (all given must match; a filter given more than once matches any of its values):
  --error-code <code>      e.g. DECODE_FAILED, PROVIDER_RETRIES_EXHAUSTED
  --original-topic <name>  the topic the failed message was read from
  --offset <p>:<o>         one dead letter by its partition and offset in the dead-letter topic
  --since <ISO>            dead letters written at or after this time (Kafka record time)

list: one row per dead letter — its partition/offset, service, error code, reason, attempts, first and
  last failure, original topic/partition/offset, the original value's size and optstream-event-id.
  It NEVER prints the original key or value: they may hold personal data.
  --format csv|json        csv (header row, RFC 4180) or json (NDJSON); default csv
  A count per error code goes to stderr.

replay: republishes each selected dead letter's original key, value and headers, unchanged, into its
  original topic, adding the header optstream-replayed-from: <dead-letter topic>/<partition>/<offset>.
  --to <topic>             replay into this topic instead (needed for dead letters that came over HTTP
                           and so have no original topic; without it they are skipped)
  --dry-run                print what would be replayed; send nothing
  --allow-compacted        replay into a compacted topic too (contact-preferences.state.v1, where connector
                           dead letters come from). Without it they are skipped as COMPACTED_TOPIC: a
                           replayed old state would become the contact's newest there, even over an
                           erasure's tombstone. \`optstream audit --repair\` re-sends current states instead.
  Consumers deduplicate by event id, so replaying the same dead letter twice applies it once.

Exit codes: 0 done (skipped dead letters are listed, not failures), 1 failure, 2 bad command line.
Configuration: KAFKA_BROKERS, SCHEMA_REGISTRY_URL (and the usual KAFKA_* / SCHEMA_REGISTRY_*).
See docs/dead-letters.md.`;

const OPTIONS = {
  topic: { type: 'string' },
  'error-code': { type: 'string', multiple: true },
  'original-topic': { type: 'string', multiple: true },
  offset: { type: 'string', multiple: true },
  since: { type: 'string' },
  format: { type: 'string' },
  to: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'allow-compacted': { type: 'boolean' },
} as const;

/** Options only one subcommand takes; the other rejects them rather than ignoring them. */
const ONLY_FOR = {
  format: 'list',
  to: 'replay',
  'dry-run': 'replay',
  'allow-compacted': 'replay',
} as const;

type DlqValues = ReturnType<typeof parse>;

export function parseDlqArgs(argv: readonly string[]): DlqOptions {
  const [command, ...rest] = argv;
  if (command !== 'list' && command !== 'replay')
    throw new UsageError(
      command === undefined
        ? 'dlq: say list or replay (optstream dlq --help)'
        : `dlq: unknown subcommand "${command}"; say list or replay (optstream dlq --help)`,
    );
  const values = parse(rest);
  for (const [name, owner] of Object.entries(ONLY_FOR))
    if (owner !== command && values[name as keyof typeof ONLY_FOR] !== undefined)
      throw new UsageError(`dlq ${command}: --${name} belongs to dlq ${owner} (optstream dlq --help)`);
  return command === 'list' ? listOptions(values) : replayOptions(values);
}

function parse(argv: readonly string[]) {
  return parseCommandLine(
    { args: [...argv], options: OPTIONS },
    { context: 'dlq', hint: 'optstream dlq --help' },
  ).values;
}

function listOptions(values: DlqValues): DlqListOptions {
  const format = values.format ?? 'csv';
  if (format !== 'csv' && format !== 'json')
    throw new UsageError(`dlq list --format: "${format}" is not csv or json`);
  return { command: 'list', topic: requiredTopic(values.topic), filter: letterFilter(values), format };
}

function replayOptions(values: DlqValues): DlqReplayOptions {
  const topic = requiredTopic(values.topic);
  const to = values.to;
  if (to !== undefined && to.trim() === '') throw new UsageError('dlq replay --to: empty topic name');
  // The read stops at the end captured at start, so this would not loop; it would only copy letters.
  if (to === topic) throw new UsageError('dlq replay --to: that is the dead-letter topic being read');
  return {
    command: 'replay',
    topic,
    filter: letterFilter(values),
    to,
    dryRun: values['dry-run'] ?? false,
    allowCompacted: values['allow-compacted'] ?? false,
  };
}

function requiredTopic(topic: string | undefined): string {
  if (topic === undefined || topic.trim() === '')
    throw new UsageError('dlq: --topic <dead-letter topic> is required (optstream dlq --help)');
  return topic;
}

function letterFilter(values: DlqValues): LetterFilter {
  return {
    errorCodes: values['error-code'] ?? [],
    originalTopics: values['original-topic'] ?? [],
    offsets: (values.offset ?? []).map(parseOffsetRef),
    since: parseIso('since', values.since),
  };
}

/** `<partition>:<offset>` in the dead-letter topic, offsets kept as canonical decimal strings like KafkaJS's. */
export function parseOffsetRef(text: string): DeadLetterPosition {
  const match = /^(\d{1,9}):(\d{1,19})$/.exec(text.trim());
  if (!match) throw new UsageError(`dlq --offset: "${text}" is not <partition>:<offset>, e.g. 0:42`);
  return { partition: Number(match[1]), offset: BigInt(match[2] ?? '0').toString() };
}
