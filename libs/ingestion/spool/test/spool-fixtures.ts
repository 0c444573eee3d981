import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SpoolRecord } from '../src/spool-record';

/** A fresh directory per test; removed by the returned cleanup. */
export async function tempSpoolDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'optstream-spool-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Record number `seq`; the number travels in a header so tests can check order and counts. */
export function record(seq: number, tag = 'r'): SpoolRecord {
  return {
    topic: `contact.inbound.v1.${seq % 3}`,
    key: seq % 5 === 0 ? null : Buffer.from(`key-${seq}`),
    value: Buffer.from([0, 0, 0, 0, 1, seq % 256, ...Buffer.from(`value-${seq}`)]),
    headers: {
      seq: String(seq),
      tag,
      traceparent: `00-${String(seq).padStart(32, '0')}-0000000000000001-01`,
    },
  };
}

export function records(from: number, count: number, tag = 'r'): SpoolRecord[] {
  return Array.from({ length: count }, (_, i) => record(from + i, tag));
}

export function seqOf(r: SpoolRecord): number {
  return Number(r.headers['seq']);
}

/** A publish function that remembers every record it was handed, in order. */
export function collector(): { publish: (batch: SpoolRecord[]) => Promise<void>; seen: SpoolRecord[] } {
  const seen: SpoolRecord[] = [];
  return {
    seen,
    publish: async (batch) => {
      seen.push(...batch);
    },
  };
}

export async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.seg')).sort();
}

export async function totalSegmentBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await segmentFiles(dir)) total += (await stat(join(dir, name))).size;
  return total;
}
