import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { IdentityEvent, MarketingPreferenceUpdated } from '@optstream/contracts';
import {
  decodeRecord,
  readLogBounded,
  type AvroCodec,
  type LogRecord,
  type ReadStart,
  type ReadSummary,
} from '@optstream/kafka';
import {
  evolve,
  isKnownChannel,
  isKnownStatus,
  stateAsOf,
  type ContactState,
} from '@optstream/preferences-domain';
import type { Kafka } from 'kafkajs';
import { recordWriter } from '../output/record-writer';
import { AS_OF_SHAPE, HISTORY_SHAPE, type AsOfRow, type HistoryRow } from './audit-views';
import type { HistoryOptions, HistoryQuery } from './history-options';
import type { ProofOfConsent } from './proof-of-consent';

export interface HistoryDeps {
  readonly kafka: Kafka;
  readonly codec: AvroCodec;
  readonly topics: { readonly preferences: string; readonly identity: string };
  /** Where results go when no --out file is given. */
  readonly stdout: Writable;
  /** Progress and notes. */
  readonly stderr: Writable;
  /** Opens the sealed proof of consent (proofOpener); without it history shows only that it is sealed. */
  readonly openProof?: (event: MarketingPreferenceUpdated) => Promise<ProofOfConsent>;
}

export interface HistoryReport {
  /** Rows written. */
  readonly rows: number;
  readonly preferences: ReadSummary;
  readonly identity: ReadSummary | null;
  /** Records skipped: undecodable, or an enum symbol this reader does not know (dead-lettered live). */
  readonly undecodable: number;
  readonly unapplicable: number;
  /** Repeated eventIds (provider retries, replays): one row each, like the read model's history. */
  readonly duplicates: number;
}

interface Merge {
  readonly survivor: string;
  readonly merged: string;
  readonly occurredAt: number;
  readonly eventId: string;
}

/**
 * `optstream history`: reads marketing-preference-updated.v1 (and identity.v1 for merges) straight
 * from Kafka — no Postgres — and writes one contact's history, every change in a time range, or
 * everyone's state as of a time. See docs/cli.md for the time semantics (occurredAt vs record time).
 */
export async function runHistory(options: HistoryOptions, deps: HistoryDeps): Promise<HistoryReport> {
  const { query } = options;
  const progress = progressPrinter(deps.stderr, options.quiet);
  const identity = query.mode === 'range' ? null : await readMerges(deps, progress);
  const merges = identity?.merges ?? null;

  let undecodable = 0;
  let unapplicable = 0;
  const decode = async (record: LogRecord): Promise<MarketingPreferenceUpdated | null> => {
    // A registry outage throws: the history fails rather than skipping records.
    const decoded = await decodeRecord<MarketingPreferenceUpdated>(deps.codec, record.value);
    if (!decoded.ok) undecodable += 1;
    else if (isKnownChannel(decoded.value.channel) && isKnownStatus(decoded.value.newStatus))
      return decoded.value;
    else unapplicable += 1;
    return null;
  };

  const collector = query.mode === 'as-of' ? new AsOfCollector(query) : new HistoryCollector(query);
  const contact = query.mode === 'range' ? undefined : query.contact;
  const preferences = await readLogBounded(deps.kafka, {
    topic: deps.topics.preferences,
    start: readStart(query, options.lateSlackMs),
    groupPrefix: 'optstream-cli',
    onProgress: (read, total) => progress(`${deps.topics.preferences}`, read, total),
    onRecord: async (record) => {
      // The topic is keyed by externalId: one contact's records are found without decoding the rest.
      if (contact !== undefined && record.key !== null && record.key.toString() !== contact) return;
      const event = await decode(record);
      if (event !== null) collector.add(event, record);
    },
  });
  progress.done();

  const output = options.out === undefined ? deps.stdout : createWriteStream(options.out);
  let rows = 0;
  if (collector instanceof HistoryCollector) {
    const writer = recordWriter(output, options.format, HISTORY_SHAPE);
    for (const row of collector.rows(preferences.fromBeginning)) {
      await writer.write(deps.openProof ? { ...row, proof: await deps.openProof(row.event) } : row);
      rows += 1;
    }
    await writer.end();
  } else {
    const writer = recordWriter(output, options.format, AS_OF_SHAPE);
    for (const row of collector.rows(merges ?? [])) {
      await writer.write(row);
      rows += 1;
    }
    await writer.end();
  }
  if (output !== deps.stdout) {
    output.end();
    await finished(output);
  }

  if (query.mode === 'contact' && merges !== null) noteMerges(deps.stderr, query.contact, merges);
  const report: HistoryReport = {
    rows,
    preferences,
    identity: identity?.summary ?? null,
    undecodable,
    unapplicable,
    duplicates: collector.duplicates,
  };
  if (!options.quiet)
    deps.stderr.write(
      `${rows} row(s); read ${preferences.read} of ${preferences.inTopic} record(s) in ${preferences.topic}` +
        `${undecodable ? `; ${undecodable} undecodable skipped` : ''}` +
        `${unapplicable ? `; ${unapplicable} with an unknown channel/status skipped` : ''}` +
        `${collector.duplicates ? `; ${collector.duplicates} duplicate eventId(s) collapsed` : ''}\n`,
    );
  return report;
}

/**
 * Where the read starts. offsets-for-times works on the Kafka record timestamp (the producer's
 * clock when the event was recorded), the filter on occurredAt (the person's clock). A late event has
 * occurredAt < record time, so it always sits after the seek point of a `from` it belongs to. The
 * opposite — occurredAt LATER than the record time: a client or provider clock ahead of ours, which
 * the gateway does not clamp — would be missed by an exact seek, so the read starts `lateSlack`
 * earlier. As-of needs every change since the beginning, whatever its time.
 */
export function readStart(query: HistoryQuery, lateSlackMs: number): ReadStart {
  if (query.mode === 'as-of' || query.from === undefined) return { kind: 'beginning' };
  return { kind: 'timestamp', timestamp: Math.max(0, query.from - lateSlackMs) };
}

const byOccurredAt = (a: HistoryRow, b: HistoryRow): number =>
  a.event.occurredAt - b.event.occurredAt ||
  (a.event.eventId < b.event.eventId ? -1 : a.event.eventId > b.event.eventId ? 1 : 0);

/**
 * History rows in the read model's order (occurredAt, then eventId), one per distinct eventId (the
 * first in log order), each with the effect the projector gave it (evolve in log order, duplicates
 * flagged as already seen — the same calls as applyPreferenceBatch).
 */
class HistoryCollector {
  private readonly kept: HistoryRow[] = [];
  private readonly seen = new Set<string>();
  private readonly states = new Map<string, ContactState>();
  duplicates = 0;

  constructor(private readonly query: Exclude<HistoryQuery, { mode: 'as-of' }>) {}

  add(event: MarketingPreferenceUpdated, record: LogRecord): void {
    if (this.query.mode === 'contact' && event.externalId !== this.query.contact) return;
    const alreadySeen = this.seen.has(event.eventId);
    if (alreadySeen) {
      this.duplicates += 1;
      return;
    }
    this.seen.add(event.eventId);
    // Effects need each contact's state from the log's beginning; a range read keeps only what it
    // needs for the rows (see rows()).
    let effect: HistoryRow['effect'] = null;
    if (this.query.mode === 'contact') {
      const evolution = evolve(this.states.get(event.externalId) ?? null, event, { alreadySeen });
      if (evolution.effect === 'rejected' || evolution.effect === 'duplicate' || evolution.state === null)
        return;
      this.states.set(event.externalId, evolution.state);
      effect = evolution.effect;
    }
    const { from, to } = this.query;
    if ((from !== undefined && event.occurredAt < from) || (to !== undefined && event.occurredAt >= to))
      return;
    this.kept.push({ event, partition: record.partition, offset: record.offset, effect });
  }

  rows(fromBeginning: boolean): HistoryRow[] {
    const rows = fromBeginning ? this.kept : this.kept.map((row) => ({ ...row, effect: null }));
    return rows.sort(byOccurredAt);
  }
}

/** Every contact's events up to the time, folded per contact by the domain's `stateAsOf`. */
class AsOfCollector {
  private readonly events = new Map<string, MarketingPreferenceUpdated[]>();
  duplicates = 0;
  private readonly seen = new Set<string>();

  constructor(private readonly query: Extract<HistoryQuery, { mode: 'as-of' }>) {}

  add(event: MarketingPreferenceUpdated): void {
    if (this.query.contact !== undefined && event.externalId !== this.query.contact) return;
    if (this.seen.has(event.eventId)) this.duplicates += 1;
    this.seen.add(event.eventId);
    const list = this.events.get(event.externalId) ?? [];
    list.push(event);
    this.events.set(event.externalId, list);
  }

  rows(merges: readonly Merge[]): AsOfRow[] {
    const { at, knownAt, contact } = this.query;
    const mergedInto = new Map<string, string>();
    for (const merge of merges)
      if (merge.occurredAt <= at && (knownAt === undefined || merge.occurredAt <= knownAt))
        mergedInto.set(merge.merged, merge.survivor);
    const ids = contact !== undefined ? [contact] : [...this.events.keys()].sort();
    return ids.flatMap((externalId) => {
      const { state } = stateAsOf(
        this.events.get(externalId) ?? [],
        knownAt === undefined ? { at } : { at, knownAt },
      );
      // Everyone: contacts with a choice on record by then. One named contact: always a row.
      if (state === null && contact === undefined) return [];
      return [{ externalId, at, knownAt, state, mergedInto: mergedInto.get(externalId) ?? null }];
    });
  }
}

async function readMerges(
  deps: HistoryDeps,
  progress: ProgressPrinter,
): Promise<{ merges: Merge[]; summary: ReadSummary }> {
  const merges: Merge[] = [];
  const summary = await readLogBounded(deps.kafka, {
    topic: deps.topics.identity,
    start: { kind: 'beginning' },
    groupPrefix: 'optstream-cli',
    onProgress: (read, total) => progress(deps.topics.identity, read, total),
    onRecord: async (record) => {
      const decoded = await decodeRecord<IdentityEvent>(deps.codec, record.value);
      if (!decoded.ok) return;
      const event = decoded.value;
      if (event.kind === 'contacts_merged' && event.otherExternalId !== null)
        merges.push({
          survivor: event.externalId,
          merged: event.otherExternalId,
          occurredAt: event.occurredAt,
          eventId: event.eventId,
        });
    },
  });
  progress.done();
  return { merges, summary };
}

function noteMerges(stderr: Writable, contact: string, merges: readonly Merge[]): void {
  for (const m of merges) {
    const when = new Date(m.occurredAt).toISOString();
    if (m.merged === contact)
      stderr.write(
        `note: ${contact} was merged into ${m.survivor} at ${when} (identity event ${m.eventId}); ` +
          `its latest choices were re-emitted under ${m.survivor}, whose history continues there\n`,
      );
    if (m.survivor === contact)
      stderr.write(
        `note: ${m.merged} was merged into ${contact} at ${when} (identity event ${m.eventId}); ` +
          `the re-emitted choices are in this history (causationId ${m.eventId}), the originals under ${m.merged}\n`,
      );
  }
}

type ProgressPrinter = ((topic: string, read: number, total: number) => void) & { done(): void };

/** A line on stderr at most every 2 s (and a final one), never on stdout. */
function progressPrinter(stderr: Writable, quiet: boolean): ProgressPrinter {
  let last = 0;
  let pending: string | null = null;
  const print = ((topic: string, read: number, total: number) => {
    if (quiet) return;
    const line = `reading ${topic}: ${read}/${total} records (${total ? Math.floor((read / total) * 100) : 100} %)\n`;
    const now = Date.now();
    if (now - last >= 2_000) {
      stderr.write(line);
      last = now;
      pending = null;
    } else pending = line;
  }) as ProgressPrinter;
  print.done = () => {
    if (pending !== null) stderr.write(pending);
    pending = null;
    last = 0;
  };
  return print;
}
