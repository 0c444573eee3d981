import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ExternalSorter } from './external-sorter';
import { fixedWidth, joinFields, splitFields } from './fields';
import { LineWriter, readLines } from './line-file';

const dirs: string[] = [];
const scratch = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'external-sort-test-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const drain = async (lines: AsyncIterable<string>): Promise<string[]> => {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
};
const inMemory = (lines: readonly string[]): string[] =>
  [...lines].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

describe('ExternalSorter', () => {
  it('gives the in-memory order for any lines, spilled into many runs and merged in rounds', async () => {
    // Lines of any text (escaped like records), including non-ASCII and astral characters.
    const line = fc.array(fc.string({ unit: 'grapheme', maxLength: 8 }), { minLength: 1, maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 300 }),
        fc.integer({ min: 1, max: 4000 }),
        async (records, budget) => {
          const dir = scratch();
          const lines = records.map(joinFields);
          const sorter = new ExternalSorter({ dir, memoryBytes: budget, fanIn: 3 });
          for (const l of lines) sorter.add(l);
          expect(await drain(sorter.sorted())).toEqual(inMemory(lines));
          expect(readdirSync(dir)).toEqual([]); // every run file is gone
        },
      ),
      { numRuns: 60 },
    );
  });

  it('spills when the budget is reached and sorts 200,000 lines through 50+ runs', async () => {
    const dir = scratch();
    const sorter = new ExternalSorter({ dir, memoryBytes: 512 * 1024 });
    const lines: string[] = [];
    for (let i = 0; i < 200_000; i += 1) {
      const l = joinFields([`k${(i * 7919) % 10007}`, fixedWidth(i), 'payload\twith tab']);
      lines.push(l);
      sorter.add(l);
    }
    expect(sorter.spills).toBeGreaterThan(50);
    const sorted = await drain(sorter.sorted());
    expect(sorted).toEqual(inMemory(lines));
    expect(splitFields(sorted[0] as string)).toEqual(['k0', fixedWidth(0), 'payload\twith tab']);
  });

  it('an empty sort yields nothing; dispose removes runs of an abandoned sort; one pass only', async () => {
    const dir = scratch();
    expect(await drain(new ExternalSorter({ dir }).sorted())).toEqual([]);
    const abandoned = new ExternalSorter({ dir, memoryBytes: 1 }); // a run per line
    for (let i = 0; i < 10; i += 1) abandoned.add(`line ${i}`);
    expect(readdirSync(dir).length).toBe(10);
    abandoned.dispose();
    expect(readdirSync(dir)).toEqual([]);
    const once = new ExternalSorter({ dir });
    await drain(once.sorted());
    await expect(drain(once.sorted())).rejects.toThrow(/twice/);
    expect(() => once.add('x')).toThrow(/after sorted/);
  });
});

describe('record fields', () => {
  it('round-trip any text; line order is field order; fixed width sorts numerically', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), (fields) => {
        const line = joinFields(fields);
        expect(line).not.toMatch(/\n/);
        expect(line.split('\t')).toHaveLength(fields.length);
        expect(splitFields(line)).toEqual(fields);
      }),
    );
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (a, b) => {
        expect(fixedWidth(a) < fixedWidth(b)).toBe(a < b);
      }),
    );
    // A shorter first field sorts before a longer one it prefixes: records group by their first field.
    expect(joinFields(['ab', 'z']) < joinFields(['abc', 'a'])).toBe(true);
    expect(() => fixedWidth(-1)).toThrow(RangeError);
  });
});

describe('LineWriter and readLines', () => {
  it('write and read back lines across buffer boundaries, multi-byte characters intact', async () => {
    const path = join(scratch(), 'lines');
    const writer = new LineWriter(path);
    const lines = Array.from({ length: 30_000 }, (_, i) => `${i}:${'é😀'.repeat(i % 50)}`);
    lines.forEach((l) => writer.write(l));
    writer.close();
    expect(writer.lines).toBe(30_000);
    expect(await drain(readLines(path))).toEqual(lines);
  });
});
