import { SpoolError } from './spool-error';
import type { SpoolRecord } from './spool-record';

/**
 * Payload layout (big-endian), versioned so a future layout can be read next to this one:
 *   u8 version=1 · u16 topicLen topic · i32 keyLen(-1 = null) key · u32 valueLen value ·
 *   u16 headerCount · (u16 nameLen name · u32 valueLen value)*
 */
const VERSION = 1;

export function encodeRecord(record: SpoolRecord): Buffer {
  const parts: Buffer[] = [Buffer.from([VERSION])];
  parts.push(u16Prefixed(Buffer.from(record.topic, 'utf8')));
  const keyLength = Buffer.alloc(4);
  keyLength.writeInt32BE(record.key === null ? -1 : record.key.length);
  parts.push(keyLength);
  if (record.key !== null) parts.push(record.key);
  parts.push(u32Prefixed(record.value));
  const headers = Object.entries(record.headers);
  const count = Buffer.alloc(2);
  count.writeUInt16BE(headers.length);
  parts.push(count);
  for (const [name, value] of headers) {
    parts.push(u16Prefixed(Buffer.from(name, 'utf8')), u32Prefixed(Buffer.from(value, 'utf8')));
  }
  return Buffer.concat(parts);
}

/** The CRC already passed, so a decode failure means a bug or a foreign file: never guess, fail loudly. */
export function decodeRecord(payload: Buffer): SpoolRecord {
  const reader = new PayloadReader(payload);
  const version = reader.u8();
  if (version !== VERSION) throw corrupt(`unknown record version ${version}`);
  const topic = reader.bytes(reader.u16()).toString('utf8');
  const keyLength = reader.i32();
  const key = keyLength === -1 ? null : reader.bytes(keyLength);
  const value = reader.bytes(reader.u32());
  const headers: Record<string, string> = {};
  for (let i = reader.u16(); i > 0; i--) {
    const name = reader.bytes(reader.u16()).toString('utf8');
    headers[name] = reader.bytes(reader.u32()).toString('utf8');
  }
  if (!reader.atEnd()) throw corrupt('trailing bytes after record');
  return { topic, key, value, headers };
}

function u16Prefixed(bytes: Buffer): Buffer {
  if (bytes.length > 0xffff) throw new SpoolError('APPEND_TOO_LARGE', 'topic or header name too long', false);
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(bytes.length);
  return Buffer.concat([prefix, bytes]);
}

function u32Prefixed(bytes: Buffer): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(bytes.length);
  return Buffer.concat([prefix, bytes]);
}

function corrupt(message: string): SpoolError {
  return new SpoolError('CORRUPT', `spool record: ${message}`, false);
}

class PayloadReader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  u8(): number {
    return this.take(1).readUInt8();
  }
  u16(): number {
    return this.take(2).readUInt16BE();
  }
  i32(): number {
    return this.take(4).readInt32BE();
  }
  u32(): number {
    return this.take(4).readUInt32BE();
  }
  bytes(length: number): Buffer {
    if (length < 0) throw corrupt(`negative length ${length}`);
    // Copy so a decoded record does not pin the whole read buffer in memory.
    return Buffer.from(this.take(length));
  }
  atEnd(): boolean {
    return this.offset === this.buffer.length;
  }

  private take(length: number): Buffer {
    if (this.offset + length > this.buffer.length) throw corrupt('truncated field');
    const slice = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }
}
