import { createWriteStream, renameSync, writeFileSync, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type {
  ContactConsent,
  DeliveryOutcome,
  ProviderAdapter,
  ProviderName,
  ProviderReader,
} from '@optstream/connectors-domain';
import { recordWriter, type RecordWriter } from '../output/record-writer';
import { judge, representedChannels, type AuditContact, type ChannelDiff, type Finding } from './compare';

/** The connector that owns each provider's delivery marks (docs/connectors.md). */
export const CONNECTOR_OF: Readonly<Record<ProviderName, string>> = {
  sendgrid: 'connector-email',
  mailchimp: 'connector-email',
  braze: 'connector-email',
  attentive: 'connector-sms',
  onesignal: 'connector-push',
};

/** A platform adapter that can read back (never the confirmation mail, which holds nothing to audit). */
export type AuditAdapter = ProviderAdapter & ProviderReader & { readonly provider: ProviderName };

export interface AddressLookup {
  addressesOf(externalIds: readonly string[]): Promise<Map<string, { email?: string; phone?: string }>>;
}

export interface RepairDeps {
  /** The read model's version and last change of each contact (the state the connectors would send). */
  stateOf(externalIds: readonly string[]): Promise<Map<string, { version: number; causationId: string }>>;
  /** `DeliveryLog.markDelivered` of the provider's connector. */
  markDelivered(
    provider: ProviderName,
    marks: readonly { externalId: string; version: number; fingerprint: string }[],
  ): Promise<void>;
}

export interface AuditOptions {
  readonly thresholdPercent: number;
  readonly out: string | undefined;
  readonly outFormat: 'csv' | 'json';
  readonly metricsFile: string | undefined;
  readonly repair: boolean;
  readonly quiet: boolean;
}

export interface AuditDeps {
  readonly contacts: AsyncIterable<readonly AuditContact[]>;
  readonly adapters: readonly AuditAdapter[];
  readonly addresses: AddressLookup;
  readonly repair?: RepairDeps;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly now?: () => number;
}

export interface ProviderStats {
  contacts: number;
  matched: number;
  mismatched: number;
  errors: number;
  skipped: number;
  repaired: number;
  repairFailed: number;
  /** matched ÷ (matched + mismatched + errors), in percent; 100 when nothing could be compared. */
  matchRate: number;
}

export interface AuditReport {
  readonly providers: Record<string, ProviderStats>;
  readonly contacts: number;
  readonly belowThreshold: readonly string[];
}

/** One line of the mismatch file: a differing channel, or a platform that could not be read. */
export interface MismatchRow {
  readonly provider: ProviderName;
  readonly externalId: string;
  readonly kind: 'mismatch' | 'error';
  readonly channel: string | null;
  readonly expected: string | null;
  readonly actual: string | null;
  readonly reason: string | null;
  readonly repair: string | null;
}

const MISMATCH_SHAPE = {
  header: ['provider', 'external_id', 'kind', 'channel', 'expected', 'actual', 'reason', 'repair'],
  csv: (r: MismatchRow) => [
    r.provider,
    r.externalId,
    r.kind,
    r.channel,
    r.expected,
    r.actual,
    r.reason,
    r.repair,
  ],
  json: (r: MismatchRow) => r,
};

/**
 * The daily reconciliation: for each batch of contacts from the read model, reads every configured
 * platform's view (through the adapters' read endpoints, with their rate limits), judges it per channel
 * the platform can represent, writes every mismatch and unreadable view, and — with `repair` — re-sends
 * the read model's state of the mismatched contacts through the same adapters the connectors use, and
 * records it in that connector's delivery log.
 */
export async function runAudit(options: AuditOptions, deps: AuditDeps): Promise<AuditReport> {
  const stats = new Map<ProviderName, ProviderStats>();
  for (const a of deps.adapters)
    stats.set(a.provider, {
      contacts: 0,
      matched: 0,
      mismatched: 0,
      errors: 0,
      skipped: 0,
      repaired: 0,
      repairFailed: 0,
      matchRate: 100,
    });
  const represented = new Map(deps.adapters.map((a) => [a.provider, representedChannels(a)]));
  const needsAddresses = deps.adapters.some((a) => a.needs.length > 0);
  const out: WriteStream | undefined = options.out ? createWriteStream(options.out) : undefined;
  const writer: RecordWriter<MismatchRow> = recordWriter(
    out ?? deps.stdout,
    options.outFormat,
    MISMATCH_SHAPE,
  );
  let contacts = 0;
  try {
    for await (const batch of deps.contacts) {
      contacts += batch.length;
      const addresses = needsAddresses
        ? await deps.addresses.addressesOf(batch.map((c) => c.externalId))
        : new Map<string, { email?: string; phone?: string }>();
      for (const adapter of deps.adapters) {
        const s = stats.get(adapter.provider);
        const channels = represented.get(adapter.provider) ?? [];
        if (!s) continue;
        const refOf = (c: AuditContact) => ({
          externalId: c.externalId,
          ...(adapter.needs.includes('email') && addresses.get(c.externalId)?.email
            ? { email: addresses.get(c.externalId)?.email }
            : {}),
          ...(adapter.needs.includes('phone') && addresses.get(c.externalId)?.phone
            ? { phone: addresses.get(c.externalId)?.phone }
            : {}),
        });
        // The adapter's own semaphore and token bucket bound the concurrency and the rate.
        const findings = await Promise.all(
          batch.map(
            async (c): Promise<[AuditContact, Finding]> => [
              c,
              judge(c, channels, await adapter.read(refOf(c))),
            ],
          ),
        );
        const mismatched = findings.filter(([, f]) => f.kind === 'mismatch').map(([c]) => c);
        const repairs =
          options.repair && deps.repair && mismatched.length > 0
            ? await repair(adapter, mismatched, addresses, deps.repair)
            : new Map<string, string>();
        for (const [contact, finding] of findings) {
          s.contacts += 1;
          if (finding.kind === 'match') s.matched += 1;
          else if (finding.kind === 'skipped') s.skipped += 1;
          else if (finding.kind === 'error') {
            s.errors += 1;
            await writer.write(
              row(adapter.provider, contact.externalId, 'error', null, finding.reason, null),
            );
          } else {
            s.mismatched += 1;
            const outcome = repairs.get(contact.externalId) ?? null;
            if (outcome === 'repaired') s.repaired += 1;
            else if (outcome !== null) s.repairFailed += 1;
            for (const diff of finding.diffs)
              await writer.write(row(adapter.provider, contact.externalId, 'mismatch', diff, null, outcome));
          }
        }
      }
    }
    await writer.end();
  } finally {
    if (out) await new Promise<void>((done) => out.end(() => done()));
  }
  const belowThreshold: string[] = [];
  const providers: Record<string, ProviderStats> = {};
  for (const [provider, s] of stats) {
    const judged = s.matched + s.mismatched + s.errors;
    s.matchRate = judged === 0 ? 100 : Math.floor((s.matched / judged) * 10_000) / 100;
    if (s.matchRate < options.thresholdPercent) belowThreshold.push(provider);
    providers[provider] = s;
  }
  const report: AuditReport = { providers, contacts, belowThreshold };
  deps.stderr.write(summaryText(report, options));
  if (options.metricsFile) writeMetrics(options.metricsFile, report, options, (deps.now ?? Date.now)());
  return report;
}

function row(
  provider: ProviderName,
  externalId: string,
  kind: 'mismatch' | 'error',
  diff: ChannelDiff | null,
  reason: string | null,
  repair: string | null,
): MismatchRow {
  return {
    provider,
    externalId,
    kind,
    channel: diff?.channel ?? null,
    expected: diff?.expected ?? null,
    actual: diff?.actual ?? null,
    reason,
    repair,
  };
}

/**
 * Re-sends the read model's state (every known channel, as the connector would) for the mismatched
 * contacts; delivered ones are marked in the connector's delivery log at the read model's version, so
 * the connector treats them as delivered. Returns the outcome per contact: "repaired" or the reason.
 */
async function repair(
  adapter: AuditAdapter,
  contacts: readonly AuditContact[],
  addresses: Map<string, { email?: string; phone?: string }>,
  deps: RepairDeps,
): Promise<Map<string, string>> {
  const states = await deps.stateOf(contacts.map((c) => c.externalId));
  const outcomes = new Map<string, string>();
  const consents: ContactConsent[] = [];
  for (const c of contacts) {
    const state = states.get(c.externalId);
    if (!state) {
      outcomes.set(c.externalId, 'not repaired: contact no longer in the read model');
      continue;
    }
    const found = addresses.get(c.externalId) ?? {};
    consents.push({
      externalId: c.externalId,
      version: state.version,
      channels: c.channels,
      causationId: state.causationId,
      ...(adapter.needs.includes('email') && found.email ? { email: found.email } : {}),
      ...(adapter.needs.includes('phone') && found.phone ? { phone: found.phone } : {}),
    });
  }
  const marks: { externalId: string; version: number; fingerprint: string }[] = [];
  for (let at = 0; at < consents.length; at += adapter.maxBatch) {
    const chunk = consents.slice(at, at + adapter.maxBatch);
    const results = await adapter.deliver(chunk);
    const byId = new Map(results.map((r) => [r.externalId, r.outcome]));
    for (const consent of chunk) {
      const outcome: DeliveryOutcome = byId.get(consent.externalId) ?? { kind: 'retry', reason: 'no result' };
      if (outcome.kind === 'delivered') {
        outcomes.set(consent.externalId, 'repaired');
        marks.push({
          externalId: consent.externalId,
          version: consent.version,
          fingerprint: adapter.fingerprint(consent),
        });
      } else
        outcomes.set(
          consent.externalId,
          `not repaired: ${outcome.kind}: ${'reason' in outcome ? outcome.reason : ''}`,
        );
    }
  }
  await deps.markDelivered(adapter.provider, marks);
  return outcomes;
}

function summaryText(report: AuditReport, options: AuditOptions): string {
  const lines = [`audit: ${report.contacts} contact(s) from the read model`];
  for (const [provider, s] of Object.entries(report.providers))
    lines.push(
      `  ${provider.padEnd(10)} match ${s.matchRate.toFixed(2)}%  (${s.matched} matched, ${s.mismatched} mismatched, ` +
        `${s.errors} unreadable, ${s.skipped} not comparable${options.repair ? `; ${s.repaired} repaired, ${s.repairFailed} not` : ''})`,
    );
  lines.push(
    report.belowThreshold.length > 0
      ? `BELOW THRESHOLD (${options.thresholdPercent}%): ${report.belowThreshold.join(', ')}`
      : `all platforms at or above ${options.thresholdPercent}%`,
  );
  return `${lines.join('\n')}\n`;
}

/** Prometheus text format, for node_exporter's textfile collector (or a Pushgateway `curl --data-binary @file`). */
export function metricsText(report: AuditReport, options: AuditOptions, nowMs: number): string {
  const gauge = (name: string, help: string, values: [string, number][]): string =>
    `# HELP ${name} ${help}\n# TYPE ${name} gauge\n` +
    values.map(([provider, v]) => `${name}{provider="${provider}"} ${v}`).join('\n') +
    '\n';
  const entries = Object.entries(report.providers);
  return [
    gauge(
      'optstream_audit_match_ratio',
      'Matched / compared contacts of the last audit (0..1).',
      entries.map(([p, s]) => [p, s.matchRate / 100]),
    ),
    gauge(
      'optstream_audit_contacts',
      'Contacts audited on the platform.',
      entries.map(([p, s]) => [p, s.contacts]),
    ),
    gauge(
      'optstream_audit_mismatched_contacts',
      'Contacts whose platform state differs.',
      entries.map(([p, s]) => [p, s.mismatched]),
    ),
    gauge(
      'optstream_audit_read_errors',
      'Contacts the platform could not be read for.',
      entries.map(([p, s]) => [p, s.errors]),
    ),
    gauge(
      'optstream_audit_repaired_contacts',
      'Mismatched contacts re-sent successfully (--repair).',
      entries.map(([p, s]) => [p, s.repaired]),
    ),
    gauge(
      'optstream_audit_below_threshold',
      `1 when the match rate is below ${options.thresholdPercent}%.`,
      entries.map(([p]) => [p, report.belowThreshold.includes(p) ? 1 : 0]),
    ),
    `# HELP optstream_audit_last_run_timestamp_seconds When the audit finished.\n# TYPE optstream_audit_last_run_timestamp_seconds gauge\noptstream_audit_last_run_timestamp_seconds ${Math.floor(nowMs / 1000)}\n`,
  ].join('');
}

function writeMetrics(path: string, report: AuditReport, options: AuditOptions, nowMs: number): void {
  // Written whole, then renamed: the textfile collector never reads half a file.
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, metricsText(report, options, nowMs));
  renameSync(tmp, path);
}
