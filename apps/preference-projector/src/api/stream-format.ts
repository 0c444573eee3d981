import { Readable } from 'node:stream';
import { csvField } from '@optstream/csv';

export type Format = 'ndjson' | 'csv';

export const CONTENT_TYPE: Record<Format, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** Lists (keyed hashes) are one `|`-separated field; every field is neutralised against formulas. */
const csvCell = (value: unknown): string =>
  csvField(
    value === null || value === undefined ? null : Array.isArray(value) ? value.join('|') : String(value),
  );

/**
 * Turns chunks of rows into a byte stream, pulled by the socket: the next chunk is only fetched once
 * the client has taken the previous one, so memory stays bounded whatever the page size.
 */
export function encodeRows<R extends object>(
  chunks: AsyncIterable<R[]>,
  format: Format,
  columns: readonly (keyof R & string)[],
): Readable {
  async function* lines(): AsyncGenerator<string> {
    if (format === 'csv') yield `${columns.join(',')}\n`;
    for await (const rows of chunks) {
      yield rows
        .map((row) =>
          format === 'csv'
            ? `${columns.map((c) => csvCell(row[c])).join(',')}\n`
            : `${JSON.stringify(row)}\n`,
        )
        .join('');
    }
  }
  return Readable.from(lines(), { objectMode: false });
}
