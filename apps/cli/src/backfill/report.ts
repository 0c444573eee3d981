import { createReadStream, createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { csvLine, type Cell } from '../output/record-writer';
import type { Conflict } from './merge-rules';
import type { RejectCode } from './row-mapper';

export interface RejectedRow {
  readonly file: string;
  readonly line: number;
  readonly code: RejectCode | 'CSV_SYNTAX';
  readonly reason: string;
}

export interface ConflictEntry {
  readonly attribute: string;
  readonly contact: { externalId: string | null; email: string | null; phone: string | null };
  readonly a: { file: string; line: number; value: string; occurredAt: string | null };
  readonly b: { file: string; line: number; value: string; occurredAt: string | null };
  readonly winner: 'a' | 'b' | 'neither';
}

export interface BackfillSummary {
  readonly files: readonly { path: string; format: string; rows: number; sha256: string }[];
  readonly rows: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly rejectedByReason: Record<string, number>;
  readonly facts: number;
  readonly duplicates: number;
  readonly superseded: number;
  readonly conflicts: number;
  readonly identifierConflicts: number;
  readonly contacts: number;
  readonly events: number;
  readonly eventsByChannel: Record<string, { subscribed: number; unsubscribed: number }>;
  readonly published: number;
  readonly resumedAfter: number;
  readonly dryRun: boolean;
}

/**
 * Collects conflicts and rejected rows on disk while the files stream (their number is unbounded), and
 * assembles the report at the end: JSON `{summary, conflicts[], rejected[]}` or one CSV with a `kind`
 * column (summary / conflict / rejected). The report holds identifiers, like the files it came from.
 */
export class ReportSpool {
  private readonly dir: string;
  private readonly conflicts: WriteStream;
  private readonly rejected: WriteStream;

  private readonly removeOnExit = (): void => this.dispose();

  constructor(tempDir?: string) {
    this.dir = mkdtempSync(join(tempDir ?? tmpdir(), 'optstream-backfill-'));
    this.conflicts = createWriteStream(join(this.dir, 'conflicts.ndjson'));
    this.rejected = createWriteStream(join(this.dir, 'rejected.ndjson'));
    // The spooled rows hold identifiers: they go with the process even when a second Ctrl-C exits.
    process.once('exit', this.removeOnExit);
  }

  async conflict(entry: ConflictEntry): Promise<void> {
    if (!this.conflicts.write(`${JSON.stringify(entry)}\n`)) await once(this.conflicts, 'drain');
  }

  async reject(entry: RejectedRow): Promise<void> {
    if (!this.rejected.write(`${JSON.stringify(entry)}\n`)) await once(this.rejected, 'drain');
  }

  async write(path: string, format: 'csv' | 'json', summary: BackfillSummary): Promise<void> {
    await Promise.all([closeStream(this.conflicts), closeStream(this.rejected)]);
    const out = createWriteStream(path);
    const put = async (text: string): Promise<void> => {
      if (!out.write(text)) await once(out, 'drain');
    };
    if (format === 'json') {
      await put(`{"summary":${JSON.stringify(summary, null, 2)},\n"conflicts":[`);
      await this.copy('conflicts.ndjson', put, (line, first) => `${first ? '\n' : ',\n'}${line}`);
      await put(`],\n"rejected":[`);
      await this.copy('rejected.ndjson', put, (line, first) => `${first ? '\n' : ',\n'}${line}`);
      await put(`]}\n`);
    } else {
      await put(csvLine(CSV_HEADER));
      for (const [key, value] of summaryCells(summary)) await put(csvLine(['summary', key, value]));
      await this.copy('conflicts.ndjson', put, (line) => {
        const c = JSON.parse(line) as ConflictEntry;
        return csvLine([
          'conflict',
          c.attribute,
          null,
          c.contact.externalId,
          c.contact.email,
          c.contact.phone,
          c.a.file,
          c.a.line,
          c.a.value,
          c.a.occurredAt,
          c.b.file,
          c.b.line,
          c.b.value,
          c.b.occurredAt,
          c.winner,
        ]);
      });
      await this.copy('rejected.ndjson', put, (line) => {
        const r = JSON.parse(line) as RejectedRow;
        return csvLine(['rejected', r.code, r.reason, null, null, null, r.file, r.line]);
      });
    }
    out.end();
    await once(out, 'finish');
  }

  dispose(): void {
    process.removeListener('exit', this.removeOnExit);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async copy(
    name: string,
    put: (text: string) => Promise<void>,
    render: (line: string, first: boolean) => string,
  ): Promise<void> {
    const lines = createInterface({ input: createReadStream(join(this.dir, name)), crlfDelay: Infinity });
    let first = true;
    for await (const line of lines) {
      if (line === '') continue;
      await put(render(line, first));
      first = false;
    }
  }
}

/** CSV report columns; summary rows use (name, value) in the 2nd and 3rd. */
export const CSV_HEADER = [
  'kind',
  'attribute_or_code',
  'value_or_reason',
  'external_id',
  'email',
  'phone',
  'a_file',
  'a_line',
  'a_value',
  'a_occurred_at',
  'b_file',
  'b_line',
  'b_value',
  'b_occurred_at',
  'winner',
];

function summaryCells(s: BackfillSummary): [string, Cell][] {
  return [
    ['rows', s.rows],
    ['accepted', s.accepted],
    ['rejected', s.rejected],
    ...Object.entries(s.rejectedByReason).map(([k, v]): [string, Cell] => [`rejected.${k}`, v]),
    ['facts', s.facts],
    ['duplicates', s.duplicates],
    ['superseded', s.superseded],
    ['conflicts', s.conflicts],
    ['identifier_conflicts', s.identifierConflicts],
    ['contacts', s.contacts],
    ['events', s.events],
    ['published', s.published],
    ['resumed_after', s.resumedAfter],
    ['dry_run', s.dryRun],
    ...s.files.map((f): [string, Cell] => [
      `file.${f.path}`,
      `${f.format} ${f.rows} rows sha256:${f.sha256}`,
    ]),
  ];
}

async function closeStream(stream: WriteStream): Promise<void> {
  if (stream.closed) return;
  stream.end();
  await once(stream, 'close');
}

export const conflictEntry = (c: Conflict, files: readonly string[]): ConflictEntry => {
  if (c.kind === 'channel')
    return {
      attribute: c.channel,
      contact: c.contact,
      a: { file: files[c.a.file] ?? '', line: c.a.line, value: c.a.status, occurredAt: iso(c.a.occurredAt) },
      b: { file: files[c.b.file] ?? '', line: c.b.line, value: c.b.status, occurredAt: iso(c.b.occurredAt) },
      winner: c.winner,
    };
  return {
    attribute: c.attribute,
    contact: {
      externalId: null,
      email: c.attribute === 'email' ? c.value : null,
      phone: c.attribute === 'phone' ? c.value : null,
    },
    a: { file: '', line: 0, value: c.externalIds[0], occurredAt: null },
    b: { file: files[c.file] ?? '', line: c.line, value: c.externalIds[1], occurredAt: null },
    winner: 'a',
  };
};

const iso = (ms: number): string => new Date(ms).toISOString();
