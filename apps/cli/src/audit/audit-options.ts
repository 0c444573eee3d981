import { extname } from 'node:path';
import { PROVIDER_NAMES, type ProviderName } from '@optstream/connectors-domain';
import { parseCommandLine } from '../command-line';
import { UsageError } from '../usage-error';
import type { AuditOptions } from './run-audit';
import type { Selection } from './read-model-contacts';

export interface AuditCommandOptions extends AuditOptions {
  readonly selection: Selection;
  /** undefined = every provider whose credentials are configured. */
  readonly providers: readonly ProviderName[] | undefined;
}

export const AUDIT_USAGE = `usage:
  optstream audit [--sample N | --all] [--providers a,b] [--threshold 100] [--out mismatches.csv|json]
                  [--metrics-file audit.prom] [--repair]

options:
  --sample <N>          audit N contacts from a random point of the read model (default 1000)
  --all                 audit every live contact
  --providers <list>    ${PROVIDER_NAMES.join(',')} (default: every provider with credentials set)
  --threshold <pct>     minimum match rate per platform, 0–100 (default 100)
  --out <file>          every mismatch and unreadable view; .csv (default) or .json (NDJSON) by extension,
                        or --out-format; stdout when absent
  --metrics-file <f>    write the result as Prometheus text (node_exporter textfile collector)
  --repair              re-send the read model's state of mismatched contacts through the adapters and
                        mark it in the connector's delivery log
  --quiet               no summary progress

Exit codes: 0 every platform at or above the threshold, 3 below it (mismatches or unreadable views),
1 failure, 2 bad command line. Configuration: DATABASE_URL, OPTSTREAM_MASTER_KEYS, PROJECTION_NAME
(default preferences), and the connectors' provider variables (SENDGRID_API_KEY, … — docs/providers.md).`;

export function parseAuditArgs(argv: readonly string[]): AuditCommandOptions {
  const parsed = parseCommandLine({
    args: [...argv],
    options: {
      sample: { type: 'string' },
      all: { type: 'boolean' },
      providers: { type: 'string' },
      threshold: { type: 'string' },
      out: { type: 'string' },
      'out-format': { type: 'string' },
      'metrics-file': { type: 'string' },
      repair: { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
  });
  const v = parsed.values;
  if (v.all && v.sample !== undefined) throw new UsageError('--sample and --all exclude each other');
  const size = Number(v.sample ?? 1000);
  if (!Number.isInteger(size) || size < 1) throw new UsageError('--sample must be a positive integer');
  const threshold = Number(v.threshold ?? 100);
  if (!Number.isFinite(threshold) || threshold < 0 || threshold > 100)
    throw new UsageError('--threshold must be a percentage from 0 to 100');
  const providers = v.providers
    ?.split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const unknown = providers?.filter((p) => !PROVIDER_NAMES.includes(p as ProviderName)) ?? [];
  if (unknown.length > 0) throw new UsageError(`--providers: unknown ${unknown.join(', ')}`);
  const outFormat = v['out-format'] ?? (v.out && extname(v.out).toLowerCase() === '.json' ? 'json' : 'csv');
  if (outFormat !== 'csv' && outFormat !== 'json') throw new UsageError('--out-format must be csv or json');
  return {
    selection: v.all ? { mode: 'all' } : { mode: 'sample', size },
    providers: providers as ProviderName[] | undefined,
    thresholdPercent: threshold,
    out: v.out,
    outFormat,
    metricsFile: v['metrics-file'],
    repair: v.repair ?? false,
    quiet: v.quiet ?? false,
  };
}

/** Which providers have credentials in the environment (the audit's default set). */
export function configuredProviders(env: NodeJS.ProcessEnv): ProviderName[] {
  const has = (name: string) => Boolean(env[name] || env[`${name}_FILE`]);
  return PROVIDER_NAMES.filter(
    (p) =>
      ({
        sendgrid: has('SENDGRID_API_KEY'),
        mailchimp: has('MAILCHIMP_API_KEY'),
        braze: has('BRAZE_API_KEY'),
        onesignal: has('ONESIGNAL_API_KEY'),
        attentive: has('ATTENTIVE_CLIENT_ID'),
      })[p],
  );
}
