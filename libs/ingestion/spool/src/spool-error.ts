export type SpoolErrorCode =
  /** Accepting the append would exceed maxBytes or maxRecords; retry once the drainer has caught up. */
  | 'SPOOL_FULL'
  /** A single append larger than the whole bound: it can never fit, retrying is pointless. */
  | 'APPEND_TOO_LARGE'
  /** Bytes that passed recovery no longer match their CRC, or damage before the tail: needs an operator. */
  | 'CORRUPT'
  /** A write failed and was cut back cleanly (e.g. disk full): nothing was stored, a retry may work. */
  | 'WRITE_FAILED'
  /** An fsync (or a cut-back) failed: the file tail is unknown, so the spool refuses all further appends. */
  | 'BROKEN'
  /** The spool was closed. */
  | 'CLOSED'
  /** Options that can never work (configuration error). */
  | 'INVALID_OPTIONS'
  /** Another live process holds the spool directory (two gateways configured with one SPOOL_DIR). */
  | 'LOCKED';

export class SpoolError extends Error {
  constructor(
    readonly code: SpoolErrorCode,
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SpoolError';
  }
}

/** The gateway maps this to 503 + Retry-After: the events were NOT stored, the sender must retry. */
export class SpoolFullError extends SpoolError {
  constructor(
    readonly pendingRecords: number,
    readonly pendingBytes: number,
  ) {
    super('SPOOL_FULL', `spool full (${pendingRecords} records, ${pendingBytes} bytes pending)`, true);
    this.name = 'SpoolFullError';
  }
}
