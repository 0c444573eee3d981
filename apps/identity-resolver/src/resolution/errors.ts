import { DataKeyDestroyedError } from '@optstream/identity-data-access';
import { isRetriable, ProcessingError } from '@optstream/kafka';
import { isTransientDatabaseError } from '@optstream/postgres';

/**
 * The consumer library retries only what is marked retriable and dead-letters everything else. A
 * Postgres blip is not poison: mark it retriable so the fact is retried (and, on shutdown, redelivered)
 * rather than parked. Anything already classified (ours, KafkaJS's) passes through unchanged.
 */
export const classify = (error: unknown): unknown => {
  if (error instanceof ProcessingError || isRetriable(error)) return error;
  // An erased contact named again: nothing may be sealed for it; park the fact under a clear code.
  if (error instanceof DataKeyDestroyedError) {
    return new ProcessingError(error.code, error.message, false, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  if (isKafkaUnavailable(error)) {
    return new ProcessingError('KAFKA_UNAVAILABLE', `publishing: ${message}`, true, { cause: error });
  }
  if (isTransientDatabaseError(error)) {
    return new ProcessingError('DATABASE_UNAVAILABLE', `identity database: ${message}`, true, {
      cause: error,
    });
  }
  return error;
};

/**
 * Failures of the infrastructure rather than of the fact: waiting is the answer, never the dead-letter
 * topic. The consumer retries these without a budget (capped backoff, heartbeating) until they pass.
 */
const INFRASTRUCTURE_CODES = new Set(['DATABASE_UNAVAILABLE', 'KAFKA_UNAVAILABLE', 'REGISTRY_UNAVAILABLE']);

export const isInfrastructureFailure = (error: unknown): boolean =>
  error instanceof ProcessingError && error.retriable && INFRASTRUCTURE_CODES.has(error.code);

// KafkaJS gives up on a produce after its own retries with KafkaJSNumberOfRetriesExceeded (not
// retriable); when what it retried was a lost connection or a timeout, the broker is away, not the fact.
const KAFKA_UNREACHABLE =
  /^KafkaJS(ConnectionError|ConnectionClosedError|RequestTimeoutError|BrokerNotFound|LockTimeout)$/;

const isKafkaUnavailable = (error: unknown): boolean => {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth += 1) {
    if (KAFKA_UNREACHABLE.test(e.name)) return true;
    e = (e as { originalError?: unknown }).originalError ?? e.cause;
  }
  return false;
};
