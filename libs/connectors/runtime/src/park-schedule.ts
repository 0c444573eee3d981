/** When a parked delivery is tried again, and how often before it is dead-lettered. */
export interface ParkSchedule {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Parked attempts before the contact's state goes to the dead-letter topic. */
  readonly maxAttempts: number;
}

/**
 * Exponential in the number of parked attempts, capped, never earlier than the provider asked for
 * (Retry-After / rate-limit reset).
 */
export function nextAttemptDelay(schedule: ParkSchedule, attempts: number, retryAfterMs = 0): number {
  const exponential = Math.min(schedule.maxDelayMs, schedule.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.max(exponential, retryAfterMs);
}
