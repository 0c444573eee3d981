import { writeCheckpoint, type SpoolPosition } from './checkpoint';
import { encodeFrame } from './frame';
import { encodeRecord } from './record-codec';
import { recoverSpool, type SegmentState } from './recovery';
import { deleteSegment, segmentPath } from './segment-files';
import { readBatch } from './segment-reader';
import { SegmentWriter } from './segment-writer';
import { SerialQueue } from './serial-queue';
import { SpoolError, SpoolFullError } from './spool-error';
import { resolveSpoolOptions, type ResolvedSpoolOptions, type SpoolOptions } from './spool-options';
import type { SpoolRecord } from './spool-record';
import type { SpoolWarning } from './spool-warning';

export type Publish = (batch: SpoolRecord[]) => Promise<void>;

export interface DrainOptions {
  readonly batchSize: number;
}

export interface DrainResult {
  /** Records handed to a publish call that resolved (and whose position was checkpointed). */
  readonly published: number;
}

export interface OpenedSpool {
  readonly spool: DurableSpool;
  /** Repairs made during recovery (a torn last write); log them, they are not failures. */
  readonly warnings: readonly SpoolWarning[];
}

/**
 * Where the gateway parks accepted events while Kafka is unreachable (rule 1 of docs/architecture.md: no accepted change is
 * lost). append() resolves only once the records are fsync'd, so a 2xx built on it survives a crash;
 * drain() republishes them in append order and deletes what Kafka has acknowledged. Delivery is at least
 * once: a crash between publish and checkpoint repeats that one batch (event ids make it harmless).
 * One process per directory: two writers on the same files would interleave and corrupt them.
 */
export class DurableSpool {
  private readonly appends = new SerialQueue();
  private readonly drains = new SerialQueue();
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly options: ResolvedSpoolOptions,
    private readonly writer: SegmentWriter,
    /** Oldest first; the last is the writer's segment. Drain removes from the front, rotation adds. */
    private readonly segments: SegmentState[],
    private position: SpoolPosition,
    private pendingRecords: number,
    private pendingBytes: number,
  ) {}

  static async open(dir: string, options: SpoolOptions): Promise<OpenedSpool> {
    const resolved = resolveSpoolOptions(options);
    const state = await recoverSpool(dir);
    const active = state.segments[state.segments.length - 1];
    if (active === undefined) throw new Error('recovery returned no segment');
    const writer = await SegmentWriter.open(dir, active.id, active.size);
    const spool = new DurableSpool(
      dir,
      resolved,
      writer,
      state.segments,
      state.position,
      state.pendingRecords,
      state.pendingBytes,
    );
    return { spool, warnings: state.warnings };
  }

  /**
   * Stores the records contiguously and in order, or not at all. The bound is checked before anything
   * is written, so a SpoolFullError leaves the files untouched and the caller can answer 503.
   */
  async append(records: readonly SpoolRecord[]): Promise<void> {
    if (records.length === 0) return;
    const frames = records.map((record) => encodeFrame(encodeRecord(record)));
    const bytes = frames.reduce((sum, frame) => sum + frame.length, 0);
    if (records.length > this.options.maxRecords || bytes > this.options.maxBytes) {
      throw new SpoolError(
        'APPEND_TOO_LARGE',
        `append of ${records.length} records / ${bytes} bytes exceeds the bound`,
        false,
      );
    }
    await this.appends.run(async () => {
      this.assertAppendable();
      if (
        this.pendingRecords + records.length > this.options.maxRecords ||
        this.pendingBytes + bytes > this.options.maxBytes
      ) {
        throw new SpoolFullError(this.pendingRecords, this.pendingBytes);
      }
      if (this.writer.size >= this.options.segmentBytes) await this.rotate();
      await this.writer.append(Buffer.concat(frames, bytes)).catch((error: unknown) => {
        throw this.writer.broken
          ? new SpoolError('BROKEN', 'spool write failed; nothing acknowledged, spool disabled', false, {
              cause: error,
            })
          : new SpoolError('WRITE_FAILED', 'spool write failed; nothing was stored', true, { cause: error });
      });
      this.activeSegment().size = this.writer.size;
      this.pendingRecords += records.length;
      this.pendingBytes += bytes;
    });
  }

  /**
   * Publishes everything pending, oldest first, `batchSize` records per call. The position is persisted
   * only AFTER publish resolves: checkpointing first would lose the batch if the process died before Kafka
   * had it. If publish rejects, drain rejects with that error and keeps the batch for the next drain.
   * Calls are serialised: a second drain waits for the first, then drains whatever is left.
   */
  async drain(publish: Publish, options: DrainOptions): Promise<DrainResult> {
    if (!Number.isSafeInteger(options.batchSize) || options.batchSize <= 0) {
      throw new SpoolError(
        'INVALID_OPTIONS',
        `batchSize must be a positive integer, got ${options.batchSize}`,
        false,
      );
    }
    return this.drains.run(() => this.drainAll(publish, options.batchSize));
  }

  /** Records appended and not yet drained. */
  depth(): number {
    return this.pendingRecords;
  }

  /** Bytes (framed, as on disk) appended and not yet drained. */
  bytes(): number {
    return this.pendingBytes;
  }

  /** For readiness: can an append of one small record be accepted right now? */
  isWritable(): boolean {
    return (
      !this.closed &&
      !this.writer.broken &&
      this.pendingRecords < this.options.maxRecords &&
      this.pendingBytes < this.options.maxBytes
    );
  }

  /** Waits for appends in flight; a drain in flight stops at its next batch boundary. */
  async close(): Promise<void> {
    await this.appends.run(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.writer.close();
    });
  }

  private async drainAll(publish: Publish, batchSize: number): Promise<DrainResult> {
    let published = 0;
    for (;;) {
      if (this.closed) throw new SpoolError('CLOSED', 'spool closed during drain', false);
      const segment = this.oldestSegment();
      if (this.position.offset < segment.size) {
        const path = segmentPath(this.dir, segment.id);
        const batch = await readBatch(path, this.position.offset, segment.size, batchSize);
        await publish(batch.records);
        const next = { segment: segment.id, offset: batch.next };
        await writeCheckpoint(this.dir, next);
        this.position = next;
        this.pendingRecords -= batch.records.length;
        this.pendingBytes -= batch.bytes;
        published += batch.records.length;
      } else if (segment !== this.activeSegment()) {
        await this.retire(segment);
      } else if (segment.size === 0 || !(await this.rotateIfDrained())) {
        return { published };
      }
    }
  }

  /** Moves the checkpoint past a fully drained segment, then deletes it (a crash in between is healed on open). */
  private async retire(segment: SegmentState): Promise<void> {
    const next = this.segments[1];
    if (next === undefined) throw new Error('cannot retire the active segment');
    const position = { segment: next.id, offset: 0 };
    await writeCheckpoint(this.dir, position);
    this.position = position;
    this.segments.shift();
    await deleteSegment(this.dir, segment.id);
  }

  /**
   * Once everything is drained, rotating lets the drained active segment be deleted too, so an idle spool
   * holds no data on disk. Runs in the append queue; false if appends arrived meanwhile (drain goes on)
   * or the spool cannot rotate.
   */
  private rotateIfDrained(): Promise<boolean> {
    return this.appends.run(async () => {
      const active = this.activeSegment();
      if (this.closed || this.writer.broken || this.position.offset < active.size) return false;
      await this.rotate();
      return true;
    });
  }

  private async rotate(): Promise<void> {
    const id = this.writer.id + 1;
    await this.writer.rotate(id);
    this.segments.push({ id, size: 0 });
  }

  private assertAppendable(): void {
    if (this.closed) throw new SpoolError('CLOSED', 'spool is closed', false);
    if (this.writer.broken)
      throw new SpoolError('BROKEN', 'spool stopped accepting after a failed write', false);
  }

  private activeSegment(): SegmentState {
    return this.expectSegment(this.segments[this.segments.length - 1]);
  }

  private oldestSegment(): SegmentState {
    return this.expectSegment(this.segments[0]);
  }

  private expectSegment(segment: SegmentState | undefined): SegmentState {
    // The list always holds the active segment; an empty one is a bookkeeping bug, not a runtime state.
    if (segment === undefined) throw new Error('spool has no segments');
    return segment;
  }
}
