export type CircuitStatus = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerConfig {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long the circuit stays open before one probe is let through. */
  readonly coolDownMs: number;
  /** Optional second trigger: failure ratio within a fixed window, once it saw minRequests calls. */
  readonly failureRatio?: number;
  readonly windowMs?: number;
  readonly minRequestsInWindow?: number;
}

interface Window {
  readonly startMs: number;
  readonly successes: number;
  readonly failures: number;
}

export interface CircuitBreaker {
  readonly status: CircuitStatus;
  readonly consecutiveFailures: number;
  readonly openedAtMs: number;
  /** Half-open: the single probe is out, everyone else is refused until it returns. */
  readonly probeInFlight: boolean;
  readonly window: Window;
}

export function createCircuitBreaker(nowMs: number): CircuitBreaker {
  return {
    status: 'closed',
    consecutiveFailures: 0,
    openedAtMs: 0,
    probeInFlight: false,
    window: { startMs: nowMs, successes: 0, failures: 0 },
  };
}

export interface Permission {
  readonly allowed: boolean;
  readonly state: CircuitBreaker;
}

/** Asks to send one request. Open → after the cool-down becomes half-open and lets ONE probe go. */
export function requestPermission(cb: CircuitBreaker, cfg: CircuitBreakerConfig, nowMs: number): Permission {
  if (cb.status === 'closed') return { allowed: true, state: cb };
  if (cb.status === 'open' && nowMs - cb.openedAtMs < cfg.coolDownMs) return { allowed: false, state: cb };
  if (cb.status === 'half-open' && cb.probeInFlight) return { allowed: false, state: cb };
  return { allowed: true, state: { ...cb, status: 'half-open', probeInFlight: true } };
}

export function recordSuccess(cb: CircuitBreaker, cfg: CircuitBreakerConfig, nowMs: number): CircuitBreaker {
  const window = countInWindow(cb.window, cfg, nowMs, 'successes');
  // A late answer of a request sent before the circuit opened proves little: the cool-down decides.
  if (cb.status === 'open') return { ...cb, window };
  return { ...createCircuitBreaker(nowMs), window };
}

export function recordFailure(cb: CircuitBreaker, cfg: CircuitBreakerConfig, nowMs: number): CircuitBreaker {
  const window = countInWindow(cb.window, cfg, nowMs, 'failures');
  const consecutiveFailures = cb.consecutiveFailures + 1;
  if (cb.status === 'open') return { ...cb, consecutiveFailures, window };
  const trip =
    cb.status === 'half-open' || consecutiveFailures >= cfg.failureThreshold || ratioTrips(window, cfg);
  if (!trip) return { ...cb, consecutiveFailures, window };
  return { status: 'open', consecutiveFailures, openedAtMs: nowMs, probeInFlight: false, window };
}

function countInWindow(
  window: Window,
  cfg: CircuitBreakerConfig,
  nowMs: number,
  field: 'successes' | 'failures',
): Window {
  const fresh = cfg.windowMs !== undefined && nowMs - window.startMs >= cfg.windowMs;
  const base = fresh ? { startMs: nowMs, successes: 0, failures: 0 } : window;
  return { ...base, [field]: base[field] + 1 };
}

function ratioTrips(window: Window, cfg: CircuitBreakerConfig): boolean {
  if (cfg.failureRatio === undefined || cfg.windowMs === undefined) return false;
  const total = window.successes + window.failures;
  return total >= (cfg.minRequestsInWindow ?? 10) && window.failures / total >= cfg.failureRatio;
}
