import { open, type FileHandle } from 'node:fs/promises';
import { createSegment, segmentPath } from './segment-files';

/** Owns the file handle of the one segment that receives appends. Not safe for concurrent calls. */
export class SegmentWriter {
  private isBroken = false;

  private constructor(
    private readonly dir: string,
    private handle: FileHandle,
    private segmentId: number,
    private segmentSize: number,
  ) {}

  static async open(dir: string, id: number, size: number): Promise<SegmentWriter> {
    return new SegmentWriter(dir, await open(segmentPath(dir, id), 'r+'), id, size);
  }

  get id(): number {
    return this.segmentId;
  }

  get size(): number {
    return this.segmentSize;
  }

  /**
   * Writes then fsyncs before resolving: the gateway answers 2xx on this promise, and without the fsync
   * the data could still be only in the page cache, lost on power failure or kernel crash.
   * A failed write is cut back to the previous size so a failed append leaves no partial records. A
   * failed fsync is not retried: Linux may already have dropped the dirty pages and marked them clean,
   * so a later "successful" fsync would lie. After that (or a failed cut-back) the writer is `broken`.
   */
  async append(bytes: Buffer): Promise<void> {
    if (this.isBroken) throw new Error('segment writer is broken by an earlier failure');
    const start = this.segmentSize;
    try {
      let written = 0;
      while (written < bytes.length) {
        const result = await this.handle.write(bytes, written, bytes.length - written, start + written);
        written += result.bytesWritten;
      }
    } catch (error) {
      await this.cutBack(start);
      throw error;
    }
    try {
      await this.handle.sync();
    } catch (error) {
      this.isBroken = true;
      throw error;
    }
    this.segmentSize = start + bytes.length;
  }

  get broken(): boolean {
    return this.isBroken;
  }

  /** Starts segment `id`; the current one is already fully fsync'd by the appends that wrote it. */
  async rotate(id: number): Promise<void> {
    await createSegment(this.dir, id);
    const next = await open(segmentPath(this.dir, id), 'r+');
    await this.handle.close();
    this.handle = next;
    this.segmentId = id;
    this.segmentSize = 0;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  private async cutBack(size: number): Promise<void> {
    try {
      await this.handle.truncate(size);
      await this.handle.sync();
    } catch {
      this.isBroken = true;
    }
  }
}
