import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { joinFields } from '@optstream/external-sort';
import type { BackfillChannel, BackfillStatus } from './formats';
import {
  anchorOfFact,
  belongsTo,
  crossedExternalIds,
  emailAnchor,
  externalIdAnchor,
  externalIdOf,
  offer,
  phoneAnchor,
  slotOf,
  type Conflict,
  type MergedContact,
  type Side,
} from './merge-rules';
import type { Identifiers, RowFact } from './row-mapper';
import { SpooledMerge } from './spooled-merge';

interface Row {
  readonly ids: Identifiers;
  readonly facts: readonly RowFact[];
  readonly file: number;
  readonly line: number;
}

const scratch = mkdtempSync(join(tmpdir(), 'spooled-merge-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function spooled(rows: readonly Row[], sortMemoryBytes?: number) {
  const conflicts: Conflict[] = [];
  const progress = new Map<string, [number, number]>();
  const merge = new SpooledMerge(async (c) => void conflicts.push(c), {
    tempDir: scratch,
    sortMemoryBytes,
    onProgress: (step, done, total) => progress.set(step, [done, total]),
  });
  try {
    for (const r of rows) merge.add(r.ids, r.facts, r.file, r.line);
    const totals = await merge.finish();
    const people: MergedContact[] = [];
    for await (const p of merge.merged()) people.push(p);
    return { totals, people, conflicts, counts: { ...merge.counts }, progress };
  } finally {
    merge.dispose();
  }
}

/**
 * The same rules evaluated the plain way, everything in memory: what the sorts on disk must reproduce.
 */
function inMemory(rows: readonly Row[]) {
  const conflicts: Conflict[] = [];
  const counts = { facts: 0, duplicates: 0, superseded: 0, conflicts: 0, identifierConflicts: 0 };
  const ownerX = new Map<string, string>();
  const phoneEmail = new Map<string, string>();
  for (const r of rows) {
    counts.facts += r.facts.length;
    for (const [kind, value] of [
      ['e', r.ids.email],
      ['p', r.ids.phone],
    ] as const) {
      if (value === null) continue;
      if (r.ids.externalId !== null) {
        const owner = ownerX.get(kind + value);
        if (owner === undefined) ownerX.set(kind + value, r.ids.externalId);
        else if (owner !== r.ids.externalId) {
          counts.identifierConflicts += 1;
          conflicts.push({
            kind: 'identifier',
            attribute: kind === 'e' ? 'email' : 'phone',
            value,
            externalIds: [owner, r.ids.externalId],
            file: r.file,
            line: r.line,
          });
        }
      } else if (kind === 'p' && r.ids.email !== null && !phoneEmail.has(value))
        phoneEmail.set(value, r.ids.email);
    }
  }
  const resolves = (kind: 'e' | 'p', value: string | null): string => {
    if (value === null) return '';
    const x = ownerX.get(kind + value);
    if (x !== undefined) return externalIdAnchor(x);
    const email = kind === 'p' ? phoneEmail.get(value) : undefined;
    if (email === undefined) return '';
    const emailOwner = ownerX.get(`e${email}`);
    return emailOwner !== undefined ? externalIdAnchor(emailOwner) : emailAnchor(email);
  };
  const byPerson = new Map<string, { email: string | null; phone: string | null; rows: Row[] }>();
  for (const r of rows) {
    const e = resolves('e', r.ids.email);
    const p = resolves('p', r.ids.phone);
    const crossed = crossedExternalIds(r.ids, e, p);
    if (crossed) {
      counts.identifierConflicts += 1;
      conflicts.push({
        kind: 'identifier',
        attribute: 'phone',
        value: r.ids.phone ?? '',
        externalIds: crossed,
        file: r.file,
        line: r.line,
      });
    }
    const factsByAnchor = new Map<string, RowFact[]>();
    for (const f of r.facts) {
      const anchor = anchorOfFact(r.ids, f.channel, e, p);
      factsByAnchor.set(anchor, [...(factsByAnchor.get(anchor) ?? []), f]);
    }
    for (const [anchor, facts] of factsByAnchor) {
      const person = byPerson.get(anchor) ?? { email: null, phone: null, rows: [] };
      byPerson.set(anchor, person);
      person.rows.push({
        ...r,
        facts,
        ids: {
          externalId: r.ids.externalId,
          email: r.ids.email !== null && belongsTo(anchor, emailAnchor(r.ids.email), e) ? r.ids.email : null,
          phone: r.ids.phone !== null && belongsTo(anchor, phoneAnchor(r.ids.phone), p) ? r.ids.phone : null,
        },
      });
    }
  }
  const sortKey = (anchor: string): string => `${joinFields([anchor])}\t`;
  const anchors = [...byPerson.keys()].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
  const people: MergedContact[] = [];
  const totals = { contacts: 0, events: 0, eventsByChannel: {} as Record<string, Record<string, number>> };
  for (const anchor of anchors) {
    const person = byPerson.get(anchor) as { email: string | null; phone: string | null; rows: Row[] };
    const sides = new Map<string, Side & { channel: BackfillChannel }>();
    const ids = (): Identifiers => ({
      externalId: externalIdOf(anchor),
      email: person.email,
      phone: person.phone,
    });
    for (const r of person.rows) {
      person.email ??= r.ids.email;
      person.phone ??= r.ids.phone;
      for (const f of r.facts) {
        const incoming: Side = {
          status: f.status,
          occurredAt: f.occurredAt,
          file: r.file,
          line: r.line,
          email: r.ids.email,
          phone: r.ids.phone,
        };
        const slot = slotOf(f.channel, r.ids.email, r.ids.phone);
        const current = sides.get(slot);
        const { kept, outcome } = offer(current, incoming);
        sides.set(slot, { ...kept, channel: f.channel });
        if (outcome === 'duplicate') counts.duplicates += 1;
        if (outcome === 'superseded') counts.superseded += 1;
        if (outcome === 'conflict' && current) {
          counts.conflicts += 1;
          conflicts.push({
            kind: 'channel',
            contact: ids(),
            channel: f.channel,
            a: current,
            b: incoming,
            winner: kept === incoming ? 'b' : 'a',
          });
        }
      }
    }
    const order = ['email', 'sms', 'push'];
    const channels = [...sides]
      .sort(([a, sa], [b, sb]) => order.indexOf(sa.channel) - order.indexOf(sb.channel) || (a < b ? -1 : 1))
      .map(([, side]) => side);
    people.push({ identifiers: ids(), channels });
    totals.contacts += 1;
    for (const s of channels) {
      const c = (totals.eventsByChannel[s.channel] ??= { subscribed: 0, unsubscribed: 0 });
      c[s.status] = (c[s.status] ?? 0) + 1;
      totals.events += 1;
    }
  }
  return { totals, people, conflicts, counts };
}

const fact = (channel: BackfillChannel, status: BackfillStatus, occurredAt: number): RowFact => ({
  channel,
  status,
  occurredAt,
});
const row = (
  externalId: string | null,
  email: string | null,
  phone: string | null,
  facts: readonly RowFact[],
  line: number,
): Row => ({ ids: { externalId, email, phone }, facts, file: 0, line });

/**
 * Rows over a few values each, half of them absent, so rows without an externalId (the ones that need the
 * links), shared addresses, ties and duplicates are common.
 */
function rowsArb(o: {
  externalIds: string[];
  phones: number;
  maxInstant: number;
  maxFacts: number;
  maxRows: number;
}): fc.Arbitrary<Row[]> {
  const maybe = (values: string[]) => fc.option(fc.constantFrom(...values), { nil: null, freq: 2 });
  const phones = Array.from({ length: o.phones }, (_, i) => `+1415555010${i + 1}`);
  const one = fc
    .record({
      externalId: maybe(o.externalIds),
      email: maybe(['a@example.com', 'b@example.com', 'c@example.com']),
      phone: maybe(phones),
      facts: fc.array(
        fc.record({
          channel: fc.constantFrom<BackfillChannel>('email', 'sms', 'push'),
          status: fc.constantFrom<BackfillStatus>('subscribed', 'unsubscribed'),
          occurredAt: fc.integer({ min: 1, max: o.maxInstant }),
        }),
        { minLength: 1, maxLength: o.maxFacts },
      ),
    })
    .filter((r) => r.externalId !== null || r.email !== null || r.phone !== null);
  return fc
    .array(one, { maxLength: o.maxRows })
    .map((raw) => raw.map((r, i) => row(r.externalId, r.email, r.phone, r.facts, i + 2)));
}

describe('SpooledMerge', () => {
  it('equals the rules evaluated in memory, for any rows, whether the sorts spill or not', async () => {
    await fc.assert(
      fc.asyncProperty(
        rowsArb({
          externalIds: ['x1', 'x2', 'x3', 'x\t4'],
          phones: 5,
          maxInstant: 4,
          maxFacts: 3,
          maxRows: 40,
        }),
        fc.constantFrom(undefined, 300),
        async (rows, memory) => {
          const got = await spooled(rows, memory);
          const want = inMemory(rows);
          expect(got.people).toEqual(want.people);
          expect(got.counts).toEqual(want.counts);
          expect(got.totals).toEqual(want.totals);
          const channel = (cs: Conflict[]) => cs.filter((c) => c.kind === 'channel');
          const identifier = (cs: Conflict[]) =>
            cs
              .filter((c) => c.kind === 'identifier')
              .map((c) => JSON.stringify(c))
              .sort();
          expect(channel(got.conflicts)).toEqual(channel(want.conflicts));
          expect(identifier(got.conflicts)).toEqual(identifier(want.conflicts));
        },
      ),
      { numRuns: 150 },
    );
    expect(readdirSync(scratch)).toEqual([]); // every scratch directory was removed
  });

  it('links an email-only and a phone-only row to the externalId their values lead to', async () => {
    const { people } = await spooled([
      row('x1', 'a@example.com', null, [fact('push', 'subscribed', 1)], 2),
      row(null, 'a@example.com', '+14155550101', [fact('email', 'unsubscribed', 2)], 3),
      row(null, null, '+14155550101', [fact('sms', 'unsubscribed', 3)], 4),
    ]);
    expect(people).toEqual([
      {
        identifiers: { externalId: 'x1', email: 'a@example.com', phone: '+14155550101' },
        channels: [
          {
            channel: 'email',
            status: 'unsubscribed',
            occurredAt: 2,
            file: 0,
            line: 3,
            email: 'a@example.com',
            phone: '+14155550101',
          },
          {
            channel: 'sms',
            status: 'unsubscribed',
            occurredAt: 3,
            file: 0,
            line: 4,
            email: null,
            phone: '+14155550101',
          },
          {
            channel: 'push',
            status: 'subscribed',
            occurredAt: 1,
            file: 0,
            line: 2,
            email: 'a@example.com',
            phone: null,
          },
        ],
      },
    ]);
  });

  it('never joins two externalIds: a shared email stays with the first and is reported', async () => {
    const { people, conflicts, counts } = await spooled([
      row('x1', 'a@example.com', null, [fact('email', 'subscribed', 1)], 2),
      row('x2', 'a@example.com', null, [fact('email', 'unsubscribed', 2)], 3),
      row(null, 'a@example.com', null, [fact('email', 'unsubscribed', 3)], 4),
    ]);
    expect(people.map((p) => p.identifiers)).toEqual([
      { externalId: 'x1', email: 'a@example.com', phone: null },
      { externalId: 'x2', email: null, phone: null },
    ]);
    expect(people[0]?.channels[0]).toMatchObject({ status: 'unsubscribed', line: 4 });
    expect(counts).toMatchObject({ identifierConflicts: 1, conflicts: 1 });
    expect(conflicts[0]).toEqual({
      kind: 'identifier',
      attribute: 'email',
      value: 'a@example.com',
      externalIds: ['x1', 'x2'],
      file: 0,
      line: 3,
    });
  });

  it('without externalIds, a phone belongs to the first email seen with it', async () => {
    const { people } = await spooled([
      row(null, 'a@example.com', '+14155550101', [fact('sms', 'subscribed', 1)], 2),
      row(null, 'b@example.com', '+14155550101', [fact('email', 'subscribed', 1)], 3),
      row(null, null, '+14155550101', [fact('sms', 'unsubscribed', 2)], 4),
      row(null, null, '+14155550199', [fact('sms', 'unsubscribed', 2)], 5),
    ]);
    expect(people.map((p) => [p.identifiers, p.channels.map((c) => `${c.channel}:${c.status}`)])).toEqual([
      [{ externalId: null, email: 'a@example.com', phone: '+14155550101' }, ['sms:unsubscribed']],
      [{ externalId: null, email: 'b@example.com', phone: null }, ['email:subscribed']],
      [{ externalId: null, email: null, phone: '+14155550199' }, ['sms:unsubscribed']],
    ]);
  });

  it('spills 20,000 rows through many runs and frees its scratch directory', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) =>
      row(
        i % 2 ? `x${i % 5000}` : null,
        `p${i % 7000}@example.com`,
        null,
        [fact('email', i % 3 ? 'subscribed' : 'unsubscribed', i)],
        i + 2,
      ),
    );
    const got = await spooled(rows, 64 * 1024);
    const want = inMemory(rows);
    // Progress reports each step to its end: every row anchored once, every record of each sort read.
    expect([...got.progress.keys()]).toEqual(['owners', 'phones', 'people', 'winners']);
    expect(got.progress.get('people')).toEqual([20_000, 20_000]);
    expect(got.progress.get('winners')).toEqual([20_000, 20_000]);
    for (const [done, total] of got.progress.values()) expect(done).toBe(total);
    expect(got.people).toEqual(want.people);
    expect(got.counts).toEqual(want.counts);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('a progress callback that throws (Ctrl-C) stops the merge; dispose leaves no scratch file', async () => {
    const merge = new SpooledMerge(async () => undefined, {
      tempDir: scratch,
      sortMemoryBytes: 16 * 1024,
      onProgress: (step) => {
        if (step === 'people') throw new Error('interrupted');
      },
    });
    for (let i = 0; i < 5000; i += 1)
      merge.add(
        { externalId: null, email: `p${i}@example.com`, phone: null },
        [fact('email', 'subscribed', i)],
        0,
        i + 2,
      );
    await expect(merge.finish()).rejects.toThrow('interrupted');
    merge.dispose();
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('an SMS opt-out stays with its phone when another email claimed the phone first (found in review)', async () => {
    const { people, conflicts } = await spooled([
      row(null, 'b@example.com', '+14155550101', [fact('sms', 'subscribed', 1)], 2),
      row(null, 'a@example.com', '+14155550101', [fact('sms', 'unsubscribed', 2)], 3),
    ]);
    // Written out, not derived from the rules: the phone's newest change is the STOP, and it is
    // published with the phone.
    expect(people).toEqual([
      {
        identifiers: { externalId: null, email: 'b@example.com', phone: '+14155550101' },
        channels: [
          {
            channel: 'sms',
            status: 'unsubscribed',
            occurredAt: 2,
            file: 0,
            line: 3,
            email: null,
            phone: '+14155550101',
          },
        ],
      },
    ]);
    expect(conflicts).toEqual([expect.objectContaining({ kind: 'channel', channel: 'sms', winner: 'b' })]);
  });

  it("a row whose email is one externalId's and phone another's: each change goes with its address, reported", async () => {
    const { people, conflicts } = await spooled([
      row('x1', 'a@example.com', null, [fact('push', 'subscribed', 1)], 2),
      row('x2', null, '+14155550101', [fact('push', 'subscribed', 1)], 3),
      row(
        null,
        'a@example.com',
        '+14155550101',
        [fact('email', 'unsubscribed', 2), fact('sms', 'unsubscribed', 2)],
        4,
      ),
    ]);
    const byId = new Map(
      people.map((p) => [p.identifiers.externalId, p.channels.map((c) => `${c.channel}:${c.status}`)]),
    );
    expect(byId.get('x1')).toEqual(['email:unsubscribed', 'push:subscribed']);
    expect(byId.get('x2')).toEqual(['sms:unsubscribed', 'push:subscribed']);
    expect(conflicts).toEqual([
      {
        kind: 'identifier',
        attribute: 'phone',
        value: '+14155550101',
        externalIds: ['x1', 'x2'],
        file: 0,
        line: 4,
      },
    ]);
  });

  it('no email or SMS change is parted from its address: some published change for that address is at least as new', async () => {
    // Independent of how people are formed: for rows without externalId whose address no externalId
    // claims, every fact must be matched by a published change of the same channel carrying that
    // address, no older than the fact.
    await fc.assert(
      fc.asyncProperty(
        rowsArb({ externalIds: ['x1', 'x2'], phones: 3, maxInstant: 6, maxFacts: 2, maxRows: 30 }),
        async (rows) => {
          const claimed = new Set(
            rows
              .flatMap((r) => (r.ids.externalId === null ? [] : [r.ids.email, r.ids.phone]))
              .filter((v) => v !== null),
          );
          const { people } = await spooled(rows);
          const published = people.flatMap((p) =>
            p.channels.map((c) => ({
              channel: c.channel,
              occurredAt: c.occurredAt,
              email: c.email ?? p.identifiers.email,
              phone: c.phone ?? p.identifiers.phone,
            })),
          );
          for (const r of rows.filter((r) => r.ids.externalId === null))
            for (const f of r.facts) {
              const address = f.channel === 'email' ? r.ids.email : f.channel === 'sms' ? r.ids.phone : null;
              if (address === null || claimed.has(address)) continue;
              const carrying = published.filter(
                (e) => e.channel === f.channel && (f.channel === 'email' ? e.email : e.phone) === address,
              );
              expect(carrying.some((e) => e.occurredAt >= f.occurredAt)).toBe(true);
            }
        },
      ),
      { numRuns: 200 },
    );
  });
});
