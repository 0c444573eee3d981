import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import type { Writable } from 'node:stream';
import { SingleBar } from 'cli-progress';
import { SCHEMAS, TOPICS, type ContactInbound } from '@optstream/contracts';
import { deriveEventId, partitionKeyOf } from '@optstream/ingestion-domain';
import { type AvroCodec, type OutgoingEvent } from '@optstream/kafka';
import { keyedHash } from '@optstream/pii-crypto';
import type { BackfillOptions } from './backfill-options';
import { csvRecords, CsvSyntaxError } from './csv-parser';
import { BUILT_IN_FORMATS, detectFormat, loadMappingFile, type Mapping } from './formats';
import type { MergedContact } from './merge-rules';
import { conflictEntry, ReportSpool, type BackfillSummary } from './report';
import { RowMapper } from './row-mapper';
import { SpooledMerge, type MergeTotals } from './spooled-merge';

export const BACKFILL_SOURCE_OF_CHANGE = 'Backfill';

/** What publishing needs; the CLI passes a real EventPublisher, tests may too. */
export interface InboundSink {
  publish(topic: string, events: readonly OutgoingEvent<ContactInbound>[]): Promise<void>;
}

export interface BackfillDeps {
  /** Absent in a dry run. */
  readonly publish?: { readonly sink: InboundSink; readonly codec: AvroCodec; readonly hashKey: Buffer };
  readonly topic: string;
  readonly stderr: Writable;
  readonly now?: () => number;
  /** Set to true (e.g. by SIGINT) to stop after the current batch; the checkpoint keeps the place. */
  readonly interrupted?: () => boolean;
}

export interface BackfillResult {
  readonly summary: BackfillSummary;
  readonly interrupted: boolean;
}

interface Checkpoint {
  readonly run: string;
  readonly topic: string;
  readonly published: number;
}

/**
 * Reads every file as a stream (rows mapped one at a time and spooled to disk), merges them with sorts on
 * disk (`SpooledMerge`: memory stays bounded whatever the input's size), then publishes the merged result:
 * one preference change per person and channel, the winner. Event ids are UUID v5 of
 * ("backfill", "<sha256 of the file>:<line>:<channel>") — the file's content and the row's place — so a
 * repeated or resumed run publishes the same ids and the resolver drops the duplicates.
 */
export async function runBackfill(options: BackfillOptions, deps: BackfillDeps): Promise<BackfillResult> {
  const mappingFile = options.mapping ? loadMappingFile(options.mapping) : undefined;
  const spool = new ReportSpool(options.tempDir);
  const mergeBar = progressBar(options.quiet, deps.stderr, 'merging {step}', '{value}/{total} records');
  let mergeStep = '';
  const merge = new SpooledMerge((c) => spool.conflict(conflictEntry(c, options.files)), {
    tempDir: options.tempDir,
    sortMemoryBytes: options.sortMemoryMiB * 1024 * 1024,
    onProgress: (step, done, total) => {
      // Merging publishes nothing either: Ctrl-C stops it here (the sorts delete their files).
      if (deps.interrupted?.()) throw new MergeInterrupted();
      if (step !== mergeStep) {
        mergeBar?.stop();
        mergeBar?.start(total, 0, { step: step.padEnd(7) });
        mergeStep = step;
      }
      mergeBar?.update(done);
    },
  });
  try {
    const fileHashes: string[] = [];
    const fileInfo: { path: string; format: string; rows: number; sha256: string }[] = [];
    const rejectedByReason: Record<string, number> = {};
    let rows = 0;
    let accepted = 0;
    const totalBytes = options.files.reduce((sum, f) => sum + statSync(f).size, 0);
    const bar = progressBar(options.quiet, deps.stderr, 'reading   ');
    bar?.start(totalBytes, 0);
    let bytes = 0;

    for (const [fileIndex, path] of options.files.entries()) {
      const hash = createHash('sha256');
      let mapper: RowMapper | undefined;
      let fileRows = 0;
      const reject = async (
        line: number,
        code: Parameters<ReportSpool['reject']>[0]['code'],
        reason: string,
      ) => {
        rejectedByReason[code] = (rejectedByReason[code] ?? 0) + 1;
        await spool.reject({ file: path, line, code, reason });
      };
      try {
        for await (const record of csvRecords(createReadStream(path), (chunk) => {
          hash.update(chunk);
          bytes += chunk.length;
          bar?.update(bytes);
        })) {
          if (!mapper) {
            mapper = new RowMapper(
              chooseMapping(path, record.fields, options, mappingFile),
              record.fields,
              options.defaultRegion,
            );
            if (!mapper.hasIdentifierColumn)
              throw new Error(
                `${path}: the header has none of the identifier columns of "${mapper.mapping.name}"`,
              );
            continue;
          }
          rows += 1;
          fileRows += 1;
          // Reading and merging publish nothing, so stopping here loses nothing: a rerun starts over.
          if (rows % 4096 === 0 && deps.interrupted?.()) break;
          const mapped = mapper.map(record.fields);
          if (!mapped.ok) {
            await reject(record.line, mapped.code, mapped.reason);
            continue;
          }
          accepted += 1;
          merge.add(mapped.identifiers, mapped.facts, fileIndex, record.line);
        }
      } catch (error) {
        if (!(error instanceof CsvSyntaxError)) throw error;
        // The file cannot be read past a syntax error without guessing: everything up to it counts.
        await reject(error.line, 'CSV_SYNTAX', `${error.message}; the rest of the file was not read`);
      }
      if (deps.interrupted?.()) break;
      const sha256 = hash.digest('hex');
      fileHashes.push(sha256);
      fileInfo.push({ path, format: mapper?.mapping.name ?? 'empty', rows: fileRows, sha256 });
    }
    bar?.stop();
    if (deps.interrupted?.()) {
      deps.stderr.write('backfill: INTERRUPTED while reading: nothing published; run the command again\n');
      return { summary: unfinished(options, rows, accepted, rejectedByReason), interrupted: true };
    }

    // Four sorts on disk (SpooledMerge): a bar per step, since at millions of rows they take minutes.
    let totals: MergeTotals;
    try {
      totals = await merge.finish();
    } catch (error) {
      if (!(error instanceof MergeInterrupted)) throw error;
      mergeBar?.stop();
      deps.stderr.write('backfill: INTERRUPTED while merging: nothing published; run the command again\n');
      return { summary: unfinished(options, rows, accepted, rejectedByReason), interrupted: true };
    }
    mergeBar?.stop();
    const { contacts, events, eventsByChannel } = totals;

    const runId = createHash('sha256')
      .update(
        JSON.stringify({
          // The merged people's order (resume is by position): a checkpoint of another order is void.
          order: 'anchor-slot-v2',
          fileHashes,
          mapping: options.mapping ? readFileSync(options.mapping, 'utf8') : options.format,
          region: options.defaultRegion,
        }),
      )
      .digest('hex');
    let published = 0;
    let resumedAfter = 0;
    let interrupted = false;
    if (!options.dryRun) {
      if (!deps.publish) throw new Error('publishing needs a Kafka publisher');
      const checkpoint = readCheckpoint(options.checkpoint, runId, deps.topic);
      resumedAfter = checkpoint;
      const result = await publishAll(merge.merged(), fileHashes, runId, events, checkpoint, options, deps);
      published = result.published;
      interrupted = result.interrupted;
      if (!interrupted) rmSync(options.checkpoint, { force: true });
    }

    const summary: BackfillSummary = {
      files: fileInfo,
      rows,
      accepted,
      rejected: rows - accepted,
      rejectedByReason,
      facts: merge.counts.facts,
      duplicates: merge.counts.duplicates,
      superseded: merge.counts.superseded,
      conflicts: merge.counts.conflicts,
      identifierConflicts: merge.counts.identifierConflicts,
      contacts,
      events,
      eventsByChannel,
      published,
      resumedAfter,
      dryRun: options.dryRun,
    };
    if (options.report) await spool.write(options.report, options.reportFormat, summary);
    deps.stderr.write(
      `backfill: ${rows} row(s) in ${options.files.length} file(s): ${accepted} accepted, ${rows - accepted} rejected; ` +
        `${summary.duplicates} duplicate(s), ${summary.conflicts} conflict(s); ${summary.contacts} contact(s), ${events} event(s)` +
        (options.dryRun
          ? ' (dry run: nothing published)'
          : `; published ${published - resumedAfter} (${resumedAfter} before resuming)`) +
        (interrupted ? '; INTERRUPTED: run the same command again to resume' : '') +
        '\n',
    );
    return { summary, interrupted };
  } finally {
    merge.dispose();
    spool.dispose();
  }
}

class MergeInterrupted extends Error {
  constructor() {
    super('interrupted while merging');
  }
}

function unfinished(
  options: BackfillOptions,
  rows: number,
  accepted: number,
  rejectedByReason: Record<string, number>,
): BackfillSummary {
  return {
    files: [],
    rows,
    accepted,
    rejected: rows - accepted,
    rejectedByReason,
    facts: 0,
    duplicates: 0,
    superseded: 0,
    conflicts: 0,
    identifierConflicts: 0,
    contacts: 0,
    events: 0,
    eventsByChannel: {},
    published: 0,
    resumedAfter: 0,
    dryRun: options.dryRun,
  };
}

function chooseMapping(
  path: string,
  header: readonly string[],
  options: BackfillOptions,
  file: Mapping | undefined,
): Mapping {
  if (file) return file;
  if (options.format !== 'auto') {
    const m = BUILT_IN_FORMATS[options.format];
    if (m) return m;
  }
  const detected = detectFormat(header);
  if (!detected)
    throw new Error(`${path}: cannot tell the export's format from its header; use --format or --mapping`);
  return detected;
}

async function publishAll(
  contacts: AsyncIterable<MergedContact>,
  fileHashes: readonly string[],
  runId: string,
  total: number,
  skip: number,
  options: BackfillOptions,
  deps: BackfillDeps,
): Promise<{ published: number; interrupted: boolean }> {
  const publish = deps.publish;
  if (!publish) throw new Error('no publisher');
  await publish.codec.register(deps.topic, SCHEMAS[TOPICS.contactInbound.valueSchema]);
  const receivedAt = (deps.now ?? Date.now)();
  const bar = progressBar(options.quiet, deps.stderr, 'publishing');
  bar?.start(total, skip);
  let position = 0;
  let batch: OutgoingEvent<ContactInbound>[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await publish.sink.publish(deps.topic, batch);
    batch = [];
    writeCheckpoint(options.checkpoint, { run: runId, topic: deps.topic, published: position });
    bar?.update(position);
  };
  for await (const contact of contacts) {
    for (const side of contact.channels) {
      position += 1;
      if (position <= skip) continue;
      const fact = inboundFact(contact, side, fileHashes, receivedAt);
      batch.push({
        key: inboundKey(publish.hashKey, fact),
        value: fact,
        eventId: fact.eventId,
        headers: { 'optstream-source-name': 'backfill' },
      });
      if (batch.length >= options.batchSize) {
        await flush();
        if (deps.interrupted?.()) {
          bar?.stop();
          return { published: position, interrupted: true };
        }
      }
    }
  }
  await flush();
  bar?.stop();
  return { published: position, interrupted: false };
}

/** The contact.inbound.v1 fact for one person's winning status on one channel. */
export function inboundFact(
  contact: MergedContact,
  side: MergedContact['channels'][number],
  fileHashes: readonly string[],
  receivedAt: number,
): ContactInbound {
  const ref = `${fileHashes[side.file] ?? side.file}:${side.line}:${side.channel}`;
  return {
    eventId: deriveEventId('backfill', ref),
    source: { system: 'backfill', providerEventRef: ref },
    occurredAt: side.occurredAt,
    receivedAt,
    // The winning row's own address for what it is about, else the person's.
    identifiers: {
      externalId: contact.identifiers.externalId,
      email: side.email ?? contact.identifiers.email,
      phone: side.phone ?? contact.identifiers.phone,
      anonymousId: null,
    },
    kind: 'preference_change',
    preferenceChange: {
      channel: side.channel,
      newStatus: side.status,
      sourceOfChange: BACKFILL_SOURCE_OF_CHANGE,
    },
    identify: null,
    pushPermissionChange: null,
  };
}

/** The gateway's message key: keyed hash of the strongest identifier (never plaintext). */
export function inboundKey(hashKey: Buffer, fact: ContactInbound): string {
  const key = partitionKeyOf(fact.identifiers);
  if (key === null) throw new Error(`fact ${fact.eventId} has no identifier to key by`);
  return keyedHash(hashKey, key.kind, key.value);
}

/** The checkpoint names the run (files' content, mapping, region) and topic: another run starts over. */
function readCheckpoint(path: string, run: string, topic: string): number {
  if (!existsSync(path)) return 0;
  try {
    const c = JSON.parse(readFileSync(path, 'utf8')) as Checkpoint;
    return c.run === run && c.topic === topic && Number.isInteger(c.published) ? c.published : 0;
  } catch {
    return 0;
  }
}

function writeCheckpoint(path: string, checkpoint: Checkpoint): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(checkpoint));
  renameSync(tmp, path);
}

function progressBar(
  quiet: boolean,
  stream: Writable,
  label: string,
  counts = '{value}/{total}',
): SingleBar | undefined {
  if (quiet) return undefined;
  return new SingleBar({
    format: `${label} [{bar}] {percentage}% | ${counts} | {eta_formatted} left`,
    stream: stream as NodeJS.WriteStream,
    hideCursor: true,
  });
}
