import { parseCommandLine } from '../command-line';
import { UsageError } from '../usage-error';

export type OutputFormat = 'csv' | 'json';

/**
 * What `history` was asked for:
 * - `contact`: one contact's changes, optionally limited to occurredAt in [from, to);
 * - `range`: every change with occurredAt in [from, to);
 * - `as-of`: everyone's (or one contact's) state as of `at` (optionally only what was recorded by `knownAt`).
 */
export type HistoryQuery =
  | {
      readonly mode: 'contact';
      readonly contact: string;
      readonly from: number | undefined;
      readonly to: number | undefined;
    }
  | { readonly mode: 'range'; readonly from: number; readonly to: number }
  | {
      readonly mode: 'as-of';
      readonly at: number;
      readonly knownAt: number | undefined;
      readonly contact: string | undefined;
    };

export interface HistoryOptions {
  readonly query: HistoryQuery;
  readonly format: OutputFormat;
  /** A file to write to; stdout when undefined. */
  readonly out: string | undefined;
  /** How far before `--from` (by Kafka record time) the read starts; see docs/cli.md. */
  readonly lateSlackMs: number;
  /** Topic overrides (tests, or a second cluster's names); undefined = configuration / contract. */
  readonly topic: string | undefined;
  readonly identityTopic: string | undefined;
  readonly quiet: boolean;
}

export const DEFAULT_LATE_SLACK_MS = 7 * 24 * 3_600_000;

export const HISTORY_USAGE = `usage:
  optstream history --contact <externalId> [--from <ISO>] [--to <ISO>] [options]
  optstream history --from <ISO> --to <ISO> [options]
  optstream history --as-of <ISO> [--known-at <ISO>] [--contact <externalId>] [options]

options:
  --format csv|json     csv (header row, RFC 4180) or json (NDJSON, one object per line); default csv
  --out <file>          write to a file instead of stdout
  --late-slack <dur>    start reading this long before --from (by Kafka record time); default 7d
                        (units: ms, s, m, h, d — e.g. 90m, 12h, 7d)
  --topic <name>        marketing-preference-updated topic (default: PREFERENCES_TOPIC or the contract's)
  --identity-topic <n>  identity topic, for merges (default: IDENTITY_TOPIC or the contract's)
  --quiet               no progress on stderr

Time ranges are half-open by occurredAt: from <= occurredAt < to. --as-of includes changes made at
or before the time. Configuration: KAFKA_BROKERS, SCHEMA_REGISTRY_URL (and the usual KAFKA_* / SCHEMA_REGISTRY_*).`;

/** ISO 8601 with a date and, if a time is given, an explicit offset or Z (no local-time guessing). */
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

export function parseIso(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = ISO.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw new UsageError(
      `--${name}: "${value}" is not an ISO 8601 time with a zone (e.g. 2026-03-01T09:00:00Z)`,
    );
  return ms;
}

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(value.trim());
  const unit = match?.[2] === undefined ? undefined : UNITS[match[2]];
  if (!match || unit === undefined)
    throw new UsageError(`--${name}: "${value}" is not a duration such as 90m, 12h or 7d`);
  return Number(match[1]) * unit;
}

export function parseHistoryArgs(argv: readonly string[]): HistoryOptions {
  const { values } = parseCommandLine({
    args: [...argv],
    options: {
      contact: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'as-of': { type: 'string' },
      'known-at': { type: 'string' },
      format: { type: 'string', default: 'csv' },
      out: { type: 'string' },
      'late-slack': { type: 'string' },
      topic: { type: 'string' },
      'identity-topic': { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const format = values.format;
  if (format !== 'csv' && format !== 'json') throw new UsageError(`--format: "${format}" is not csv or json`);
  const contact = values.contact;
  if (contact !== undefined && contact.trim() === '') throw new UsageError('--contact: empty externalId');
  const from = parseIso('from', values.from);
  const to = parseIso('to', values.to);
  const at = parseIso('as-of', values['as-of']);
  const knownAt = parseIso('known-at', values['known-at']);
  if (from !== undefined && to !== undefined && from >= to)
    throw new UsageError('--from must be before --to (the range is from <= occurredAt < to)');

  let query: HistoryQuery;
  if (at !== undefined) {
    if (from !== undefined || to !== undefined)
      throw new UsageError('--as-of takes no --from/--to (it folds every change up to the time)');
    query = { mode: 'as-of', at, knownAt, contact };
  } else if (knownAt !== undefined) {
    throw new UsageError('--known-at only goes with --as-of');
  } else if (contact !== undefined) {
    query = { mode: 'contact', contact, from, to };
  } else if (from !== undefined && to !== undefined) {
    query = { mode: 'range', from, to };
  } else {
    throw new UsageError('say what to read: --contact, --from and --to, or --as-of');
  }
  return {
    query,
    format,
    out: values.out,
    lateSlackMs: parseDuration('late-slack', values['late-slack'], DEFAULT_LATE_SLACK_MS),
    topic: values.topic,
    identityTopic: values['identity-topic'],
    quiet: values.quiet ?? false,
  };
}
