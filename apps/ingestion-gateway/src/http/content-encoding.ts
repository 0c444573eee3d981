import { constants, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { httpError } from '@optstream/http-errors';

/**
 * The body as the sender wrote it, before `Content-Encoding`. Segment's mobile libraries and
 * RudderStack's Node library gzip their batches (docs/ingestion-gateway.md, "Libraries").
 *
 * A compressed body is inflated with `maxOutputLength`: zlib stops as soon as the output passes the
 * limit, so a zip bomb costs at most `maxBytes` of output (answered 413, measured on the decompressed
 * bytes), never its full expansion, and this work is bounded even before the write key is known.
 */
export function decodeContentEncoding(raw: Buffer, encoding: string | undefined, maxBytes: number): Buffer {
  const coding = (encoding ?? '').trim().toLowerCase();
  if (coding === '' || coding === 'identity') return withinLimit(raw, maxBytes, '');
  const inflate = INFLATERS[coding];
  if (inflate === undefined) {
    throw httpError(
      415,
      'UNSUPPORTED_CONTENT_ENCODING',
      `content-encoding must be gzip, deflate or identity; got "${coding.slice(0, 40)}"`,
    );
  }
  try {
    return inflate(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw tooLarge(maxBytes, ` once decompressed (${coding})`);
    throw httpError(
      400,
      'INVALID_ENCODING',
      `the body is not valid ${coding} data: ${(error as Error).message}`,
    );
  }
}

type Inflate = (raw: Buffer, options: { maxOutputLength: number }) => Buffer;

/** HTTP's `deflate` is the zlib format (RFC 9110 §8.4.1.2); some clients send raw DEFLATE, also accepted. */
const deflate: Inflate = (raw, options) => {
  try {
    return inflateSync(raw, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).errno !== constants.Z_DATA_ERROR) throw error;
    return inflateRawSync(raw, options);
  }
};

const INFLATERS: Record<string, Inflate> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate,
};

function withinLimit(body: Buffer, maxBytes: number, how: string): Buffer {
  if (body.length > maxBytes) throw tooLarge(maxBytes, how, body.length);
  return body;
}

function tooLarge(maxBytes: number, how: string, actual?: number) {
  const has = actual === undefined ? 'the body has more' : `the body has ${actual}`;
  return httpError(413, 'PAYLOAD_TOO_LARGE', `at most ${maxBytes} bytes are allowed here; ${has}${how}`);
}
