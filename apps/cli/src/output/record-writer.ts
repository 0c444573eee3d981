import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { csvField, type CsvValue } from '@optstream/csv';

export type Cell = CsvValue;

/** A CSV line, CRLF-terminated as RFC 4180 says. */
export const csvLine = (cells: readonly Cell[]): string => `${cells.map(csvField).join(',')}\r\n`;

/** Writes rows as CSV (header first) or NDJSON, waiting for the stream to drain: bounded memory. */
export interface RecordWriter<T> {
  write(row: T): Promise<void>;
  end(): Promise<void>;
}

export interface RowShape<T> {
  readonly header: readonly string[];
  readonly csv: (row: T) => readonly Cell[];
  readonly json: (row: T) => unknown;
}

export function recordWriter<T>(
  stream: Writable,
  format: 'csv' | 'json',
  shape: RowShape<T>,
): RecordWriter<T> {
  let started = false;
  const put = async (text: string): Promise<void> => {
    if (!stream.write(text)) await once(stream, 'drain');
  };
  const start = async (): Promise<void> => {
    if (started) return;
    started = true;
    if (format === 'csv') await put(csvLine(shape.header));
  };
  return {
    async write(row) {
      await start();
      await put(format === 'csv' ? csvLine(shape.csv(row)) : `${JSON.stringify(shape.json(row))}\n`);
    },
    // An empty result is still a valid CSV document: the header alone.
    end: start,
  };
}
