import type { EntityManager } from 'typeorm';
import { historyDetail } from './history-detail';
import type { HistoryInsert } from './preference-batch';
import type { ChannelRow } from './state-rows';

/**
 * The part of pg's "Submittable" contract (what `client.query(submittable)` drives; pg-copy-streams is
 * built on it) that COPY FROM STDIN needs. `connection` is pg's protocol connection.
 */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

const ROWS_PER_CHUNK = 2_000;

/**
 * A PostgreSQL binary COPY stream being built: big-endian fields, each prefixed by its byte length,
 * timestamps as int64 microseconds since 2000-01-01 UTC. Nothing is parsed as text on either side.
 */
class BinaryCopyWriter {
  private buffer = Buffer.allocUnsafe(1 << 16);
  private at = 0;

  private ensure(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(bigger, 0, 0, this.at);
    this.buffer = bigger;
  }

  /** The stream's signature, flags and (empty) header extension. */
  header(): this {
    this.ensure(19);
    this.at += this.buffer.write('PGCOPY\n\xff\r\n\0', this.at, 'latin1');
    this.at = this.buffer.writeInt32BE(0, this.at);
    this.at = this.buffer.writeInt32BE(0, this.at);
    return this;
  }

  fields(count: number): this {
    this.ensure(2);
    this.at = this.buffer.writeInt16BE(count, this.at);
    return this;
  }

  int4(value: number): this {
    this.ensure(8);
    this.at = this.buffer.writeInt32BE(4, this.at);
    this.at = this.buffer.writeInt32BE(value, this.at);
    return this;
  }

  /** An int8 from a safe integer (two's complement, high word first). */
  int8(value: number): this {
    this.ensure(12);
    const high = Math.floor(value / 0x1_0000_0000);
    this.at = this.buffer.writeInt32BE(8, this.at);
    this.at = this.buffer.writeInt32BE(high, this.at);
    this.at = this.buffer.writeUInt32BE(value - high * 0x1_0000_0000, this.at);
    return this;
  }

  text(value: string): this {
    this.ensure(4 + value.length * 3);
    const bytes = this.buffer.write(value, this.at + 4, 'utf8');
    this.buffer.writeInt32BE(bytes, this.at);
    this.at += 4 + bytes;
    return this;
  }

  /** A jsonb value: its binary format is a version byte (1) and the JSON text. */
  jsonb(json: string): this {
    this.ensure(5 + json.length * 3);
    const bytes = this.buffer.write(json, this.at + 5, 'utf8');
    this.buffer.writeInt32BE(bytes + 1, this.at);
    this.buffer.writeUInt8(1, this.at + 4);
    this.at += 5 + bytes;
    return this;
  }

  nullableJsonb(json: string | null): this {
    if (json !== null) return this.jsonb(json);
    this.ensure(4);
    this.at = this.buffer.writeInt32BE(-1, this.at);
    return this;
  }

  /** A timestamptz from epoch milliseconds. */
  timestamptz(ms: number): this {
    return this.int8((ms - PG_EPOCH_MS) * 1000);
  }

  trailer(): this {
    this.ensure(2);
    this.at = this.buffer.writeInt16BE(-1, this.at);
    return this;
  }

  /** What was written since the last take (a copy: the writer reuses its buffer). */
  take(): Buffer {
    const chunk = Buffer.from(this.buffer.subarray(0, this.at));
    this.at = 0;
    return chunk;
  }
}

const PG_EPOCH_MS = Date.UTC(2000, 0, 1);

/**
 * Streams the rows as they are encoded, a chunk of rows at a time, yielding to the event loop between
 * chunks: the server inserts the first chunks while the later ones are encoded.
 */
class CopyFromStdin<T> {
  private error: unknown = null;
  private settled = false;

  constructor(
    private readonly text: string,
    private readonly rows: readonly T[],
    private readonly encode: (out: BinaryCopyWriter, row: T) => void,
    private readonly done: (error: unknown) => void,
  ) {}

  submit(connection: CopyConnection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    void this.pump(connection);
  }

  handleCommandComplete(): void {
    // COPY is all or nothing: on success every row is in.
  }

  /**
   * pg forgets the active query on an error message (the ReadyForQuery after it is not passed on), so
   * settle here. The server drops whatever CopyData/CopyDone is still on its way after the error.
   */
  handleError(error: unknown): void {
    this.error = error;
    this.settle(error);
  }

  handleReadyForQuery(): void {
    this.settle(null);
  }

  private settle(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.done(error);
  }

  private async pump(connection: CopyConnection): Promise<void> {
    try {
      const out = new BinaryCopyWriter().header();
      for (let at = 0; at < this.rows.length && this.error === null; at += ROWS_PER_CHUNK) {
        const end = Math.min(this.rows.length, at + ROWS_PER_CHUNK);
        for (let i = at; i < end; i += 1) this.encode(out, this.rows[i] as T);
        if (end === this.rows.length) out.trailer();
        connection.sendCopyFromChunk(out.take());
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (this.error === null) connection.endCopyFrom();
    } catch (error) {
      connection.sendCopyFail(error instanceof Error ? error.message : String(error));
    }
  }
}

/** COPY FROM STDIN (binary format) on the transaction's own connection; all rows or none. */
async function copyRows<T>(
  tx: EntityManager,
  sql: string,
  rows: readonly T[],
  encode: (out: BinaryCopyWriter, row: T) => void,
): Promise<void> {
  if (rows.length === 0) return;
  const runner = tx.queryRunner;
  if (!runner) throw new Error('COPY needs a transaction (an EntityManager with a query runner)');
  const client = (await runner.connect()) as { query(submittable: CopyFromStdin<T>): void };
  await new Promise<void>((resolve, reject) =>
    client.query(new CopyFromStdin(sql, rows, encode, (error) => (error ? reject(error) : resolve()))),
  );
}

const MIN_MS = Date.parse('0001-01-01T00:00:00Z');
const MAX_MS = Date.parse('9999-12-31T23:59:59.999Z');
/**
 * Timestamps go as exact microseconds, which is what `to_timestamp(ms / 1000.0)` stores in a
 * timestamptz(3) for integer milliseconds (what timestamp-millis holds; years 1–9999 keep the
 * arithmetic far inside float precision); anything else takes the INSERT path.
 */
export const copyableMs = (ms: number): boolean => Number.isInteger(ms) && ms >= MIN_MS && ms <= MAX_MS;

/** Whether `copyHistoryRows` writes exactly what `insertHistoryRows` writes for these rows. */
export const canCopyHistory = (rows: readonly HistoryInsert[]): boolean =>
  rows.every(
    (r) =>
      copyableMs(r.event.occurredAt) &&
      copyableMs(r.event.recordedAt) &&
      Number.isSafeInteger(Number(r.offset)),
  );

/**
 * History rows by COPY into `table` (a version's partition). No `ON CONFLICT`: an eventId already there
 * aborts it with a unique violation (23505), like a plain INSERT.
 */
export function copyHistoryRows(
  tx: EntityManager,
  version: number,
  table: string,
  rows: readonly HistoryInsert[],
): Promise<void> {
  return copyRows(
    tx,
    `COPY ${table} (projection_version, event_id, external_id, channel, status, occurred_at, recorded_at,
       source_of_change, source_system, provider_event_ref, causation_id, effect, source_topic,
       source_partition, source_offset, detail) FROM STDIN (FORMAT binary)`,
    rows,
    (out, { event: e, effect, topic, partition, offset }) =>
      out
        .fields(16)
        .int4(version)
        .text(e.eventId)
        .text(e.externalId)
        .text(e.channel)
        .text(e.newStatus)
        .timestamptz(e.occurredAt)
        .timestamptz(e.recordedAt)
        .text(e.sourceOfChange)
        .text(e.source.system)
        .text(e.source.providerEventRef)
        .text(e.causationId)
        .text(effect)
        .text(topic)
        .int4(partition)
        .int8(Number(offset))
        .nullableJsonb(historyDetail(e)),
  );
}

/** New channel_state rows by COPY (no row of these contacts may exist: a conflict aborts it). */
export function copyChannelRows(
  tx: EntityManager,
  version: number,
  table: string,
  rows: readonly ChannelRow[],
): Promise<void> {
  return copyRows(
    tx,
    `COPY ${table} (projection_version, external_id, channel, status, occurred_at, event_id,
       source_of_change, source_system, provider_event_ref, consent) FROM STDIN (FORMAT binary)`,
    rows,
    (out, r) =>
      out
        .fields(10)
        .int4(version)
        .text(r.externalId)
        .text(r.channel)
        .text(r.status)
        .timestamptz(r.occurredAt)
        .text(r.eventId)
        .text(r.sourceOfChange)
        .text(r.sourceSystem)
        .text(r.providerEventRef)
        .jsonb(JSON.stringify(r.consent)),
  );
}
