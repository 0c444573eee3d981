import { SpoolError } from './spool-error';

export interface SpoolOptions {
  /** Upper bound on pending (not yet drained) frame bytes. */
  readonly maxBytes: number;
  /** Upper bound on pending records. */
  readonly maxRecords: number;
  /** A new segment is started once the active one reaches this size, so drained data can be deleted. */
  readonly segmentBytes?: number;
}

export type ResolvedSpoolOptions = Required<SpoolOptions>;

export const DEFAULT_SEGMENT_BYTES = 16 * 1024 * 1024;

/** Validated up front so a bad configuration fails at start-up, not on the first outage. */
export function resolveSpoolOptions(options: SpoolOptions): ResolvedSpoolOptions {
  const resolved = { segmentBytes: DEFAULT_SEGMENT_BYTES, ...options };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new SpoolError('INVALID_OPTIONS', `${name} must be a positive integer, got ${value}`, false);
    }
  }
  return resolved;
}
