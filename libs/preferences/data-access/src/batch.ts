/** A decoded record and where it sits in the log. */
export interface PositionedEvent<T> {
  readonly offset: string;
  readonly value: T;
  /** The record's `traceparent` header, carried to what the event causes (state messages). */
  readonly traceparent?: string;
}

/** One partition's slice of the log, in offset order (the unit a KafkaJS `eachBatch` hands over). */
export interface PartitionBatch<T> {
  readonly topic: string;
  readonly partition: number;
  readonly events: readonly PositionedEvent<T>[];
  /**
   * The last offset the batch covers, when it is past the last event: records that could not be
   * decoded went to the dead-letter topic, and the checkpoint must still move past them.
   */
  readonly lastOffset?: string;
}

/** Which version a runner writes, and how it behaves there. */
export interface ProjectionTarget {
  readonly projection: string;
  readonly version: number;
  /**
   * Live runners check in each transaction that their version is still the active one (a rebuild may
   * have swapped); a rebuild writes a version that is not active yet and must not check.
   */
  readonly fenceActiveVersion: boolean;
  /** Live runners record changed contacts in the outbox for the state topic; a rebuild publishes nothing. */
  readonly useOutbox: boolean;
}

/** Drops what an earlier transaction already applied, so a redelivered batch is a no-op. */
export function unappliedEvents<T>(
  events: readonly PositionedEvent<T>[],
  nextOffset: bigint,
): PositionedEvent<T>[] {
  return events.filter((e) => BigInt(e.offset) >= nextOffset);
}

/** The checkpoint after this batch, or null when it holds nothing past `checkpoint`. */
export function nextOffsetAfter<T>(batch: PartitionBatch<T>, checkpoint: bigint): bigint | null {
  const lastEvent = batch.events[batch.events.length - 1];
  const candidates = [lastEvent?.offset, batch.lastOffset].flatMap((o) =>
    o === undefined ? [] : [BigInt(o)],
  );
  if (candidates.length === 0) return null;
  const last = candidates.reduce((a, b) => (a > b ? a : b));
  return last >= checkpoint ? last + 1n : null;
}
