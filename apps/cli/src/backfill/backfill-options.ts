import { extname } from 'node:path';
import { parseCommandLine } from '../command-line';
import { UsageError } from '../usage-error';
import { BUILT_IN_FORMATS, FORMAT_NAMES } from './formats';

export interface BackfillOptions {
  readonly files: readonly string[];
  readonly mapping: string | undefined;
  readonly format: string;
  readonly dryRun: boolean;
  readonly report: string | undefined;
  readonly reportFormat: 'csv' | 'json';
  readonly topic: string | undefined;
  readonly checkpoint: string;
  readonly defaultRegion: string;
  readonly batchSize: number;
  readonly quiet: boolean;
  readonly tempDir: string | undefined;
  readonly sortMemoryMiB: number;
}

export const BACKFILL_USAGE = `usage:
  optstream backfill <file.csv>… [--format <name>|--mapping <file.json>] [--dry-run] [--report <file>] [options]

options:
  --format <name>        ${FORMAT_NAMES.join(' | ')} (default auto: chosen per file from its header)
  --mapping <file.json>  a column mapping for any other export (docs/cli.md); applies to every file
  --dry-run              read, merge and report; publish nothing (needs --report)
  --report <file>        the report: counts, every conflict (both sides, winner), every rejected row;
                         .json (default) or .csv by extension, or --report-format
  --report-format csv|json
  --topic <name>         inbound topic (default: INBOUND_TOPIC or contact.inbound.v1)
  --checkpoint <file>    resume state (default optstream-backfill.checkpoint.json); deleted when done
  --default-region <CC>  region for phones written without "+" (default US)
  --batch-size <n>       events per Kafka send (default 500)
  --quiet                no progress bar
  --temp-dir <dir>       where the merge spills rows while it sorts (default: the OS temp dir; it needs
                         about 3x the input's size free, holds identifiers, and is deleted at the end)
  --sort-memory <MiB>    memory per sort buffer before spilling to disk (default 64, at most 512;
                         two fill at once)

Publishes one contact.inbound.v1 preference change per person and channel (the winner), source
"backfill", sourceOfChange "Backfill", the row's own time as occurredAt. Exit codes: 0 done, 1 failure,
2 bad command line, 130 interrupted (run the same command again to resume).
Configuration: KAFKA_BROKERS, SCHEMA_REGISTRY_URL, OPTSTREAM_HASH_KEY (base64, the gateway's key).`;

export function parseBackfillArgs(argv: readonly string[]): BackfillOptions {
  const parsed = parseCommandLine({
    args: [...argv],
    allowPositionals: true,
    options: {
      mapping: { type: 'string' },
      format: { type: 'string' },
      'dry-run': { type: 'boolean' },
      report: { type: 'string' },
      'report-format': { type: 'string' },
      topic: { type: 'string' },
      checkpoint: { type: 'string' },
      'default-region': { type: 'string' },
      'batch-size': { type: 'string' },
      quiet: { type: 'boolean' },
      'temp-dir': { type: 'string' },
      'sort-memory': { type: 'string' },
    },
  });
  const v = parsed.values;
  if (parsed.positionals.length === 0) throw new UsageError('name at least one CSV file');
  const format = v.format ?? 'auto';
  if (!(FORMAT_NAMES as readonly string[]).includes(format))
    throw new UsageError(`--format: "${format}" is not one of ${FORMAT_NAMES.join(', ')}`);
  if (v.mapping !== undefined && v.format !== undefined)
    throw new UsageError('--mapping and --format exclude each other');
  const dryRun = v['dry-run'] ?? false;
  if (dryRun && v.report === undefined) throw new UsageError('--dry-run needs --report <file>');
  const reportFormat =
    v['report-format'] ?? (v.report && extname(v.report).toLowerCase() === '.csv' ? 'csv' : 'json');
  if (reportFormat !== 'csv' && reportFormat !== 'json')
    throw new UsageError(`--report-format: "${reportFormat}" is not csv or json`);
  const batchSize = Number(v['batch-size'] ?? 500);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
    throw new UsageError('--batch-size must be an integer from 1 to 10000');
  const sortMemoryMiB = Number(v['sort-memory'] ?? 64);
  // Two buffers fill at once inside V8's default heap (about 2 GiB here): more would run out of memory.
  if (!Number.isInteger(sortMemoryMiB) || sortMemoryMiB < 1 || sortMemoryMiB > 512)
    throw new UsageError('--sort-memory must be an integer number of MiB from 1 to 512');
  const region = (v['default-region'] ?? 'US').toUpperCase();
  if (!/^[A-Z]{2}$/.test(region)) throw new UsageError('--default-region must be a 2-letter region code');
  return {
    files: parsed.positionals,
    mapping: v.mapping,
    format,
    dryRun,
    report: v.report,
    reportFormat,
    topic: v.topic,
    checkpoint: v.checkpoint ?? 'optstream-backfill.checkpoint.json',
    defaultRegion: region,
    batchSize,
    quiet: v.quiet ?? false,
    tempDir: v['temp-dir'],
    sortMemoryMiB,
  };
}

export const isBuiltInFormat = (name: string): boolean => name in BUILT_IN_FORMATS;
