import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ExternalSorter,
  fixedWidth,
  joinFields,
  LineWriter,
  readLines,
  splitFields,
} from '@optstream/external-sort';
import type { BackfillChannel, BackfillStatus } from './formats';
import {
  anchorOfFact,
  belongsTo,
  crossedExternalIds,
  externalIdAnchor,
  emailAnchor,
  externalIdOf,
  offer,
  phoneAnchor,
  slotOf,
  type Conflict,
  type MergeCounts,
  type MergedContact,
  type Side,
} from './merge-rules';
import type { Identifiers, RowFact } from './row-mapper';

export interface SpooledMergeOptions {
  /** Where the scratch directory goes (default: the OS temp dir). It holds identifiers while it lives. */
  readonly tempDir?: string;
  /** Memory for each sort's buffer before it spills to disk (two sorts fill at once). */
  readonly sortMemoryBytes?: number;
  /** Called as each of the four steps goes (every 16,384 records and at its end), for a progress bar. */
  readonly onProgress?: (step: MergeStep, done: number, total: number) => void;
}

export type MergeStep = 'owners' | 'phones' | 'people' | 'winners';

export interface MergeTotals {
  readonly contacts: number;
  readonly events: number;
  readonly eventsByChannel: Record<string, { subscribed: number; unsubscribed: number }>;
}

const CHANNELS: readonly BackfillChannel[] = ['email', 'sms', 'push'];
const CHANNEL_CODE: Record<BackfillChannel, string> = { email: 'E', sms: 'S', push: 'P' };
const CODE_CHANNEL: Record<string, BackfillChannel> = { E: 'email', S: 'sms', P: 'push' };

// Record tags: within one email or phone, claims by externalId sort first (earliest row first), then
// claims by email, then the rows that ask what the value resolves to.
const BY_EXTERNAL_ID = '0';
const BY_EMAIL = '1';
const LOOKUP = '2';

/**
 * The merge of every accepted row in bounded memory: rows go to a file as they are read, and the people
 * and winners come out of four sorts on disk (`@optstream/external-sort`), each read once in order:
 *
 * 1. claims and lookups by email/phone → who owns each value (identifier conflicts are found here);
 * 2. phones owned by an email, joined with that email's externalId owner;
 * 3. lookup answers by row number, zipped with the rows file → the person of each fact (`anchorOfFact`);
 * 4. rows by person, then row number → one person at a time, channel winners by `offer`.
 *
 * Memory is the sort buffers plus one person; the rows, keys and results live in the scratch directory,
 * which `dispose()` deletes. The merged people come out sorted by their anchor: the same files give the
 * same order, which resuming by position needs.
 */
export class SpooledMerge {
  readonly counts: MergeCounts = {
    facts: 0,
    duplicates: 0,
    superseded: 0,
    conflicts: 0,
    identifierConflicts: 0,
  };
  private readonly dir: string;
  private readonly rows: LineWriter;
  private readonly keys: ExternalSorter;
  private readonly mergedPath: string;
  private readonly sortMemoryBytes: number;
  private readonly onProgress: SpooledMergeOptions['onProgress'];
  private seq = 0;
  private finished = false;

  constructor(
    private readonly onConflict: (conflict: Conflict) => Promise<void>,
    options: SpooledMergeOptions = {},
  ) {
    this.dir = mkdtempSync(join(options.tempDir ?? tmpdir(), 'optstream-merge-'));
    this.sortMemoryBytes = options.sortMemoryBytes ?? 64 * 1024 * 1024;
    this.onProgress = options.onProgress;
    this.rows = new LineWriter(join(this.dir, 'rows'));
    this.keys = this.sorter();
    this.mergedPath = join(this.dir, 'merged');
    // A second Ctrl-C exits at once: the scratch files (plaintext identifiers) go with the process.
    process.once('exit', this.removeOnExit);
  }

  private readonly removeOnExit = (): void => this.dispose();

  /** One accepted row (its facts, where it is); rows must come in file order. */
  add(ids: Identifiers, facts: readonly RowFact[], file: number, line: number): void {
    if (this.finished) throw new Error('SpooledMerge: add() after finish()');
    const seq = fixedWidth(this.seq);
    this.seq += 1;
    this.counts.facts += facts.length;
    const x = ids.externalId ?? '';
    this.rows.write(
      joinFields([seq, x, ids.email ?? '', ids.phone ?? '', String(file), String(line), encodeFacts(facts)]),
    );
    for (const [kind, value] of [
      ['e', ids.email],
      ['p', ids.phone],
    ] as const) {
      if (value === null) continue;
      if (ids.externalId !== null)
        this.keys.add(joinFields([kind + value, BY_EXTERNAL_ID, seq, x, String(file), String(line)]));
      else if (kind === 'p' && ids.email !== null)
        this.keys.add(joinFields([kind + value, BY_EMAIL, seq, ids.email]));
      this.keys.add(joinFields([kind + value, LOOKUP, seq]));
    }
  }

  /** Runs the sorts; afterwards `merged()` reads the people. */
  async finish(): Promise<MergeTotals> {
    if (this.finished) throw new Error('SpooledMerge: finish() twice');
    this.finished = true;
    this.rows.close();
    const emails = this.sorter();
    const results = this.sorter();
    await this.resolveKeys(emails, results);
    await resolveEmailOwnedPhones(this.counted('phones', emails.count, emails.sorted()), results);
    const people = this.sorter();
    await this.anchorRows(results, people);
    return this.mergePeople(people);
  }

  /** The consolidated people, sorted by anchor. */
  async *merged(): AsyncGenerator<MergedContact> {
    if (!this.finished) throw new Error('SpooledMerge: merged() before finish()');
    for await (const line of readLines(this.mergedPath)) yield decodeMerged(line);
  }

  dispose(): void {
    process.removeListener('exit', this.removeOnExit);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private sorter(): ExternalSorter {
    return new ExternalSorter({ dir: this.dir, memoryBytes: this.sortMemoryBytes });
  }

  private async *counted(
    step: MergeStep,
    total: number,
    lines: AsyncIterable<string>,
  ): AsyncGenerator<string> {
    let done = 0;
    for await (const line of lines) {
      yield line;
      done += 1;
      if (done % 16_384 === 0) this.onProgress?.(step, done, total);
    }
    this.onProgress?.(step, done, total);
  }

  /** Step 1: per email/phone, its owner; every lookup answered, or deferred to step 2. */
  private async resolveKeys(emails: ExternalSorter, results: ExternalSorter): Promise<void> {
    let key = '';
    let ownerX: string | null = null;
    let ownerEmail: string | null = null;
    for await (const line of this.counted('owners', this.keys.count, this.keys.sorted())) {
      const [k = '', tag, seq = '', ...rest] = splitFields(line);
      if (k !== key) {
        key = k;
        ownerX = null;
        ownerEmail = null;
      }
      const kind = k[0] as 'e' | 'p';
      const value = k.slice(1);
      if (tag === BY_EXTERNAL_ID) {
        const [x = '', file = '0', row = '0'] = rest;
        if (ownerX === null) {
          ownerX = x;
          if (kind === 'e') emails.add(joinFields([value, BY_EXTERNAL_ID, x]));
        } else if (x !== ownerX) {
          this.counts.identifierConflicts += 1;
          await this.onConflict({
            kind: 'identifier',
            attribute: kind === 'e' ? 'email' : 'phone',
            value,
            externalIds: [ownerX, x],
            file: Number(file),
            line: Number(row),
          });
        }
      } else if (tag === BY_EMAIL) {
        ownerEmail ??= rest[0] ?? null;
      } else if (ownerX !== null) {
        results.add(joinFields([seq, kind, externalIdAnchor(ownerX)]));
      } else if (kind === 'p' && ownerEmail !== null) {
        emails.add(joinFields([ownerEmail, LOOKUP, seq]));
      } else {
        results.add(joinFields([seq, kind, '']));
      }
    }
  }

  /** Step 3: each row with the answers for its email and phone → (person, row) records. */
  private async anchorRows(results: ExternalSorter, people: ExternalSorter): Promise<void> {
    const answers = results.sorted()[Symbol.asyncIterator]();
    let next = await answers.next();
    for await (const line of this.counted('people', this.seq, readLines(join(this.dir, 'rows')))) {
      const [seq = '', x, e, p, file = '0', row = '0', facts = ''] = splitFields(line);
      let emailResolves = '';
      let phoneResolves = '';
      while (!next.done) {
        const [answerSeq, slot, resolves = ''] = splitFields(next.value);
        if (answerSeq !== seq) break;
        if (slot === 'e') emailResolves = resolves;
        else phoneResolves = resolves;
        next = await answers.next();
      }
      const ids: Identifiers = { externalId: x || null, email: e || null, phone: p || null };
      const crossed = crossedExternalIds(ids, emailResolves, phoneResolves);
      if (crossed) {
        this.counts.identifierConflicts += 1;
        await this.onConflict({
          kind: 'identifier',
          attribute: 'phone',
          value: p ?? '',
          externalIds: crossed,
          file: Number(file),
          line: Number(row),
        });
      }
      // A record per person the row's facts go to (usually one): see anchorOfFact.
      const byAnchor = new Map<string, RowFact[]>();
      for (const fact of decodeFacts(facts)) {
        const anchor = anchorOfFact(ids, fact.channel, emailResolves, phoneResolves);
        byAnchor.set(anchor, [...(byAnchor.get(anchor) ?? []), fact]);
      }
      for (const [anchor, mine] of byAnchor)
        people.add(
          joinFields([
            anchor,
            seq,
            e && belongsTo(anchor, emailAnchor(e), emailResolves) ? e : '',
            p && belongsTo(anchor, phoneAnchor(p), phoneResolves) ? p : '',
            file,
            row,
            encodeFacts(mine),
          ]),
        );
    }
    if (!next.done) throw new Error(`SpooledMerge: an answer for row ${next.value} has no row`);
  }

  /** Step 4: one person at a time, in anchor order; winners written to the merged file. */
  private async mergePeople(people: ExternalSorter): Promise<MergeTotals> {
    const out = new LineWriter(this.mergedPath);
    const eventsByChannel: MergeTotals['eventsByChannel'] = {};
    let contacts = 0;
    let events = 0;
    let person = null as PersonState | null;
    const emit = (p: PersonState | null): void => {
      if (!p) return;
      const channels = [...p.sides]
        .sort(
          ([a, sa], [b, sb]) =>
            CHANNELS.indexOf(sa.channel) - CHANNELS.indexOf(sb.channel) || (a < b ? -1 : 1),
        )
        .map(([, side]) => side);
      if (channels.length === 0) return;
      contacts += 1;
      for (const side of channels) {
        const c = (eventsByChannel[side.channel] ??= { subscribed: 0, unsubscribed: 0 });
        c[side.status] += 1;
        events += 1;
      }
      out.write(encodeMerged({ identifiers: p.identifiers(), channels }));
    };
    for await (const line of this.counted('winners', people.count, people.sorted())) {
      const [anchor = '', , e, p, file = '0', row = '0', facts = ''] = splitFields(line);
      if (person?.anchor !== anchor) {
        emit(person);
        person = new PersonState(anchor);
      }
      person.email ??= e || null;
      person.phone ??= p || null;
      for (const fact of decodeFacts(facts)) {
        const incoming: Side = {
          status: fact.status,
          occurredAt: fact.occurredAt,
          file: Number(file),
          line: Number(row),
          email: e || null,
          phone: p || null,
        };
        const slot = slotOf(fact.channel, incoming.email ?? null, incoming.phone ?? null);
        const current = person.sides.get(slot);
        const { kept, outcome } = offer(current, incoming);
        person.sides.set(slot, { ...kept, channel: fact.channel });
        if (outcome === 'duplicate') this.counts.duplicates += 1;
        else if (outcome === 'superseded') this.counts.superseded += 1;
        else if (outcome === 'conflict' && current) {
          this.counts.conflicts += 1;
          await this.onConflict({
            kind: 'channel',
            contact: person.identifiers(),
            channel: fact.channel,
            a: current,
            b: incoming,
            winner: kept === incoming ? 'b' : 'a',
          });
        }
      }
    }
    emit(person);
    out.close();
    return { contacts, events, eventsByChannel };
  }
}

class PersonState {
  email: string | null = null;
  phone: string | null = null;
  /** The winner so far per slot (`slotOf`). */
  readonly sides = new Map<string, Side & { readonly channel: BackfillChannel }>();
  constructor(readonly anchor: string) {}
  identifiers(): Identifiers {
    return { externalId: externalIdOf(this.anchor), email: this.email, phone: this.phone };
  }
}

/** Step 2: phones owned by an email resolve to that email's person (its externalId's, if it has one). */
async function resolveEmailOwnedPhones(
  emails: AsyncIterable<string>,
  results: ExternalSorter,
): Promise<void> {
  let email = '';
  let ownerX: string | null = null;
  for await (const line of emails) {
    const [value = '', tag, third = ''] = splitFields(line);
    if (value !== email) {
      email = value;
      ownerX = null;
    }
    if (tag === BY_EXTERNAL_ID) ownerX = third;
    else
      results.add(joinFields([third, 'p', ownerX !== null ? externalIdAnchor(ownerX) : emailAnchor(value)]));
  }
}

function encodeFacts(facts: readonly RowFact[]): string {
  return facts
    .map((f) => `${CHANNEL_CODE[f.channel]}${f.status === 'subscribed' ? 's' : 'u'}${f.occurredAt}`)
    .join(',');
}

function decodeFacts(text: string): RowFact[] {
  if (text === '') return [];
  return text.split(',').map((f) => ({
    channel: CODE_CHANNEL[f[0] ?? ''] ?? fail(`bad fact ${f}`),
    status: (f[1] === 's' ? 'subscribed' : 'unsubscribed') as BackfillStatus,
    occurredAt: Number(f.slice(2)),
  }));
}

function encodeMerged(contact: MergedContact): string {
  const { externalId, email, phone } = contact.identifiers;
  return joinFields([
    externalId === null ? '' : `=${externalId}`,
    email ?? '',
    phone ?? '',
    // Three fields per channel: the winner, and the email and phone of its row.
    ...contact.channels.flatMap((s) => [
      `${CHANNEL_CODE[s.channel]}${s.status === 'subscribed' ? 's' : 'u'}${s.occurredAt}@${s.file}:${s.line}`,
      s.email ?? '',
      s.phone ?? '',
    ]),
  ]);
}

function decodeMerged(line: string): MergedContact {
  const [x = '', e = '', p = '', ...sides] = splitFields(line);
  const channels: MergedContact['channels'][number][] = [];
  for (let i = 0; i < sides.length; i += 3) {
    const s = sides[i] ?? '';
    const at = s.lastIndexOf('@');
    const [file = '0', row = '0'] = s.slice(at + 1).split(':');
    channels.push({
      channel: CODE_CHANNEL[s[0] ?? ''] ?? fail(`bad side ${s}`),
      status: (s[1] === 's' ? 'subscribed' : 'unsubscribed') as BackfillStatus,
      occurredAt: Number(s.slice(2, at)),
      file: Number(file),
      line: Number(row),
      email: sides[i + 1] || null,
      phone: sides[i + 2] || null,
    });
  }
  return {
    identifiers: { externalId: x === '' ? null : x.slice(1), email: e || null, phone: p || null },
    channels,
  };
}

function fail(message: string): never {
  throw new Error(`SpooledMerge: ${message}`);
}
