/**
 * Errors carry a stable code and whether trying again can help. Consumers retry what is retriable and
 * dead-letter the rest with the original payload; nothing is swallowed.
 */
export class ProcessingError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProcessingError';
  }
}

export function isRetriable(error: unknown): boolean {
  if (error instanceof ProcessingError) return error.retriable;
  // KafkaJS marks its own transient failures (leader moves, timeouts, connection loss) as retriable.
  if (typeof error === 'object' && error !== null && 'retriable' in error) {
    return (error as { retriable: unknown }).retriable === true;
  }
  return false;
}

export function errorCode(error: unknown): string {
  if (error instanceof ProcessingError) return error.code;
  return 'UNEXPECTED_ERROR';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
