import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { LineWriter, readLineBatches } from './line-file';

export interface ExternalSorterOptions {
  /** A private directory for the sorted runs (the caller creates and removes it). */
  readonly dir: string;
  /** Roughly how much memory the buffered lines may take before they are sorted into a run on disk. */
  readonly memoryBytes?: number;
  /** How many runs one merge reads at once; more runs are merged in rounds. */
  readonly fanIn?: number;
}

// What V8 keeps per buffered line beyond its characters (string header, array slot), estimated high so
// the budget is an upper bound: short lines are mostly overhead.
const PER_LINE_OVERHEAD = 64;
let sorters = 0;

/**
 * Sorts more lines than fit in memory: lines are buffered up to a memory budget, each full buffer is
 * sorted and written as a run, and `sorted()` merges the runs (k-way, with a binary heap). Order is
 * JavaScript's string order (UTF-16 code units), the same in memory and in the merge, for well-formed
 * text: runs are UTF-8 files, so a lone surrogate would come back as U+FFFD (callers' lines come from
 * decoded UTF-8 and cannot hold one). With no spill the
 * sort happens in memory. Memory stays near `memoryBytes` plus under 1 MiB per run being merged (at
 * most `fanIn` at once), whatever the number of lines.
 */
export class ExternalSorter {
  private buffer: string[] = [];
  private bufferedBytes = 0;
  private readonly runs: string[] = [];
  private readonly id = (sorters += 1);
  private nextRun = 0;
  private readonly memoryBytes: number;
  private readonly fanIn: number;
  private consumed = false;
  count = 0;

  constructor(private readonly options: ExternalSorterOptions) {
    this.memoryBytes = options.memoryBytes ?? 64 * 1024 * 1024;
    this.fanIn = Math.max(2, options.fanIn ?? 64);
  }

  /** Runs written to disk so far. */
  get spills(): number {
    return this.runs.length;
  }

  add(line: string): void {
    if (this.consumed) throw new Error('ExternalSorter: add() after sorted()');
    this.buffer.push(line);
    this.count += 1;
    this.bufferedBytes += line.length * 2 + PER_LINE_OVERHEAD;
    if (this.bufferedBytes >= this.memoryBytes) this.spill();
  }

  /** Every added line, in order; once. The run files are deleted as the merge finishes. */
  async *sorted(): AsyncGenerator<string> {
    if (this.consumed) throw new Error('ExternalSorter: sorted() twice');
    this.consumed = true;
    if (this.runs.length === 0) {
      const lines = this.takeBuffer().sort(compare);
      yield* lines;
      return;
    }
    if (this.buffer.length > 0) this.spill();
    while (this.runs.length > this.fanIn) {
      const group = this.runs.splice(0, this.fanIn);
      const writer = new LineWriter(this.runPath());
      try {
        for await (const line of mergeRuns(group)) writer.write(line);
      } finally {
        writer.close();
        // Merged or failed, the group's runs go; a failed round's output goes with dispose().
        this.runs.push(writer.path);
        for (const run of group) rmSync(run, { force: true });
      }
    }
    const runs = this.runs.splice(0);
    try {
      yield* mergeRuns(runs);
    } finally {
      for (const run of runs) rmSync(run, { force: true });
    }
  }

  /** Deletes any runs not yet merged (an abandoned sort). */
  dispose(): void {
    for (const run of this.runs.splice(0)) rmSync(run, { force: true });
    this.buffer = [];
  }

  private spill(): void {
    const writer = new LineWriter(this.runPath());
    for (const line of this.takeBuffer().sort(compare)) writer.write(line);
    writer.close();
    this.runs.push(writer.path);
  }

  private takeBuffer(): string[] {
    const lines = this.buffer;
    this.buffer = [];
    this.bufferedBytes = 0;
    return lines;
  }

  private runPath(): string {
    this.nextRun += 1;
    return join(this.options.dir, `sort-${process.pid}-${this.id}-${this.nextRun}.run`);
  }
}

// Each run being merged holds one chunk of text and its lines: 256 KiB keeps a 64-run merge under
// about 50 MiB (docs/cli.md has the measurements with 1 MiB and 256 KiB).
const MERGE_CHUNK_BYTES = 256 * 1024;

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Cursor {
  readonly batches: AsyncGenerator<string[]>;
  lines: string[];
  at: number;
}

/** K-way merge of sorted run files. */
async function* mergeRuns(paths: readonly string[]): AsyncGenerator<string> {
  const heap: Cursor[] = [];
  const cursors: Cursor[] = [];
  try {
    for (const path of paths) {
      const cursor: Cursor = { batches: readLineBatches(path, MERGE_CHUNK_BYTES), lines: [], at: 0 };
      cursors.push(cursor);
      if (await refill(cursor)) heapPush(heap, cursor);
    }
    yield* drain(heap);
  } finally {
    // An abandoned merge (the consumer stopped, an error) closes every run's file now, not at exit.
    await Promise.all(cursors.map((c) => c.batches.return(undefined)));
  }
}

async function* drain(heap: Cursor[]): AsyncGenerator<string> {
  while (heap.length > 0) {
    const top = heap[0] as Cursor;
    yield top.lines[top.at] as string;
    top.at += 1;
    if (top.at < top.lines.length || (await refill(top))) siftDown(heap, 0);
    else {
      const last = heap.pop() as Cursor;
      if (heap.length > 0) {
        heap[0] = last;
        siftDown(heap, 0);
      }
    }
  }
}

async function refill(cursor: Cursor): Promise<boolean> {
  for (;;) {
    const next = await cursor.batches.next();
    if (next.done) return false;
    if (next.value.length > 0) {
      cursor.lines = next.value;
      cursor.at = 0;
      return true;
    }
  }
}

const head = (c: Cursor): string => c.lines[c.at] as string;

function heapPush(heap: Cursor[], cursor: Cursor): void {
  heap.push(cursor);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (head(heap[parent] as Cursor) <= head(cursor)) break;
    heap[i] = heap[parent] as Cursor;
    i = parent;
  }
  heap[i] = cursor;
}

function siftDown(heap: Cursor[], from: number): void {
  const item = heap[from] as Cursor;
  let i = from;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child =
      right < heap.length && head(heap[right] as Cursor) < head(heap[left] as Cursor) ? right : left;
    if (head(heap[child] as Cursor) >= head(item)) break;
    heap[i] = heap[child] as Cursor;
    i = child;
  }
  heap[i] = item;
}
