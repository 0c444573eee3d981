import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** One parsed CSV record and the physical line it starts on (1-based; the header is line 1). */
export interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
}

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/**
 * Incremental RFC 4180 parser (no maintained CSV parser is installed, and adding one is not ours to do):
 * comma-separated, fields optionally enclosed in double quotes, `""` inside quotes is one quote, quoted
 * fields may hold commas and line breaks. Accepts CRLF, LF or lone CR as record separators, a UTF-8 BOM
 * at the start, and a missing final line break. Blank lines are skipped. Lenient where exports are
 * sloppy: a quote inside an unquoted field is kept literally. Strict where guessing would corrupt data:
 * text after a closing quote, or a quote never closed, is a CsvSyntaxError with the line.
 *
 * Memory: the current record only (`push` returns the records completed by the chunk).
 */
export class CsvParser {
  private field = '';
  private fields: string[] = [];
  private inQuotes = false;
  /** Just saw a quote inside a quoted field: either the closing quote or the first of `""`. */
  private quotePending = false;
  /** The field was quoted and has been closed: only a separator may follow. */
  private closed = false;
  private fieldStarted = false;
  private lastWasCr = false;
  private line = 1;
  private recordLine = 1;
  private first = true;

  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let text = chunk;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    let start = 0; // start of a run of plain characters not yet appended to `field`
    const n = text.length;
    for (let i = 0; i < n; i += 1) {
      const c = text.charCodeAt(i);
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === QUOTE) {
            // `""`: one literal quote (the first quote was excluded from the run).
            start = i;
            continue;
          }
          this.inQuotes = false;
          this.closed = true;
          // fall through to the unquoted handling of c
        } else {
          if (c === QUOTE) {
            this.field += text.slice(start, i);
            this.quotePending = true;
            start = i + 1;
          } else if (c === LF) {
            if (!this.lastWasCr) this.line += 1;
            this.lastWasCr = false;
          } else if (c === CR) {
            this.line += 1;
            this.lastWasCr = true;
          } else this.lastWasCr = false;
          continue;
        }
      }
      // Outside quotes.
      if (c === COMMA) {
        this.field += text.slice(start, i);
        this.endField();
        start = i + 1;
        this.lastWasCr = false;
      } else if (c === LF || c === CR) {
        const crlf = c === LF && this.lastWasCr;
        if (!crlf) {
          this.field += text.slice(start, i);
          const record = this.endRecord();
          if (record) out.push(record);
          this.line += 1;
          this.recordLine = this.line;
        }
        this.lastWasCr = c === CR;
        start = i + 1;
      } else {
        this.lastWasCr = false;
        if (this.closed) throw new CsvSyntaxError('text after the closing quote of a field', this.line);
        if (c === QUOTE && !this.fieldStarted && i === start && this.field.length === 0) {
          this.inQuotes = true;
          this.fieldStarted = true;
          start = i + 1;
        } else this.fieldStarted = true;
      }
    }
    if (this.inQuotes && !this.quotePending) this.field += text.slice(start);
    else if (!this.inQuotes) this.field += text.slice(start);
    return out;
  }

  /** Completes the last record; throws if a quoted field was never closed. */
  end(): CsvRecord[] {
    if (this.inQuotes && !this.quotePending)
      throw new CsvSyntaxError('a quoted field is never closed', this.recordLine);
    this.inQuotes = false;
    this.quotePending = false;
    const record = this.endRecord();
    return record ? [record] : [];
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.closed = false;
    this.fieldStarted = false;
  }

  private endRecord(): CsvRecord | null {
    const blank = this.fields.length === 0 && this.field.length === 0 && !this.closed;
    if (blank) {
      this.fieldStarted = false;
      return null;
    }
    this.endField();
    const record = { fields: this.fields, line: this.recordLine };
    this.fields = [];
    return record;
  }
}

/** Parses a byte stream (UTF-8) record by record; `onBytes` sees every chunk's size (progress, hashing). */
export async function* csvRecords(
  input: Readable,
  onChunk?: (chunk: Buffer) => void,
): AsyncGenerator<CsvRecord> {
  const decoder = new StringDecoder('utf8');
  const parser = new CsvParser();
  for await (const chunk of input as AsyncIterable<Buffer>) {
    onChunk?.(chunk);
    for (const record of parser.push(decoder.write(chunk))) yield record;
  }
  const tail = decoder.end();
  if (tail) for (const record of parser.push(tail)) yield record;
  for (const record of parser.end()) yield record;
}
