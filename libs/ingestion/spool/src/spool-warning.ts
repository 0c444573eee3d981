/** Something open() repaired rather than refused; the caller logs it (records were never acknowledged). */
export interface SpoolWarning {
  readonly code: 'TORN_TAIL_TRUNCATED';
  readonly segment: number;
  readonly offset: number;
  readonly discardedBytes: number;
  readonly message: string;
}
