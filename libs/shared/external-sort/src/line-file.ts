import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';

const FLUSH_BYTES = 1 << 20;

/**
 * Appends newline-terminated lines to a file through a 1 MiB buffer. Writes are synchronous: a CLI's
 * spill files gain nothing from overlapping them, and an error surfaces at the call that caused it.
 * Lines must not contain "\n" (callers escape their fields; see `escapeField`).
 */
export class LineWriter {
  private readonly fd: number;
  private pending: string[] = [];
  private pendingChars = 0;
  private written = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w', 0o600);
  }

  /** Lines written so far (buffered or not). */
  get lines(): number {
    return this.written;
  }

  write(line: string): void {
    this.pending.push(line);
    this.pendingChars += line.length + 1;
    this.written += 1;
    if (this.pendingChars >= FLUSH_BYTES) this.flush();
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    writeSync(this.fd, `${this.pending.join('\n')}\n`);
    this.pending = [];
    this.pendingChars = 0;
  }
}

/** The lines of a file written by `LineWriter`, in order, a batch (`chunkBytes` of text) at a time. */
export async function* readLineBatches(path: string, chunkBytes = FLUSH_BYTES): AsyncGenerator<string[]> {
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: chunkBytes })) {
    const lines = (rest + (chunk as string)).split('\n');
    rest = lines.pop() ?? '';
    if (lines.length > 0) yield lines;
  }
  if (rest !== '') yield [rest];
}

/** The lines of a file one at a time (a convenience over `readLineBatches`). */
export async function* readLines(path: string): AsyncGenerator<string> {
  for await (const batch of readLineBatches(path)) yield* batch;
}
