import {
  classifyAttempt,
  createCircuitBreaker,
  createTokenBucket,
  decideRetry,
  idempotencyKey,
  isProviderFailure,
  recordFailure,
  recordSuccess,
  requestPermission,
  serverRequestedDelay,
  take,
  type AttemptResult,
  type CircuitBreaker,
  type CircuitBreakerConfig,
  type CircuitStatus,
  type ContactConsent,
  type HttpRequest,
  type ProviderName,
  type RateLimitConfig,
  type RequestOutcome,
  type RetryDecision,
  type ProviderRetryPolicy,
  type TokenBucket,
} from '@optstream/connectors-domain';
import type { ResolvedDeps } from '../deps';
import { sendOnce, type HttpAttempt } from '../http/send';
import { Semaphore } from './semaphore';

/** How a provider authenticates; `invalidate` lets a 401 trigger exactly one re-authentication. */
export interface Authenticator {
  headers(): Promise<AuthResult>;
  invalidate?(): void;
}

export type AuthResult =
  | { readonly ok: true; readonly headers: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly outcome: RequestOutcome };

export interface ReliableClientOptions {
  readonly provider: ProviderName;
  readonly baseUrl: string;
  readonly auth: Authenticator;
  readonly rateLimit: RateLimitConfig;
  readonly retry: ProviderRetryPolicy;
  readonly circuit: CircuitBreakerConfig;
  readonly timeoutMs: number;
  readonly deps: ResolvedDeps;
}

export interface CallResult {
  readonly outcome: RequestOutcome;
  /** Status and parsed body of the last answer, when there was one. */
  readonly status?: number;
  readonly body?: unknown;
  readonly attempts: number;
}

export interface CallOptions {
  /** Contacts the write carries: they derive its `Idempotency-Key`. Absent = a read, no key. */
  readonly idempotencyFor?: readonly Pick<ContactConsent, 'externalId' | 'version'>[];
}

/**
 * Every HTTP call to one provider goes through here: concurrency limit, token-bucket rate limit (waits,
 * never exceeds), circuit breaker, bounded retries with full-jitter backoff and the provider's
 * Retry-After / rate-limit reset, and metrics. Never throws for a provider answer or network failure.
 */
export class ReliableClient {
  private bucket: TokenBucket;
  private circuit: CircuitBreaker;
  private readonly slots: Semaphore;
  /** A 429 with a requested wait pauses ALL requests to the provider, not only the one that got it. */
  private pausedUntilMs = 0;

  constructor(private readonly options: ReliableClientOptions) {
    const now = options.deps.now();
    this.bucket = createTokenBucket(options.rateLimit, now);
    this.circuit = createCircuitBreaker(now);
    this.slots = new Semaphore(options.rateLimit.maxConcurrency);
  }

  get provider(): ProviderName {
    return this.options.provider;
  }

  circuitStatus(): CircuitStatus {
    return this.circuit.status;
  }

  async call(request: HttpRequest, callOptions: CallOptions = {}): Promise<CallResult> {
    const { idempotencyFor } = callOptions;
    const key = idempotencyFor ? idempotencyKey(this.provider, idempotencyFor, request) : undefined;
    const withKey: HttpRequest = key
      ? { ...request, headers: { ...request.headers, 'idempotency-key': key } }
      : request;
    let reauthenticated = false;
    let last: CallResult | undefined;
    for (let attempts = 1; ; attempts++) {
      const attempt = await this.slots.run(() => this.attemptOnce(withKey));
      if (attempt.kind === 'refused') return refusedResult(attempt.outcome, last);
      const { http } = attempt;
      if (!reauthenticated && this.reauthenticate(http)) {
        reauthenticated = true;
        attempts--;
        continue;
      }
      const outcome = classifyAttempt(toAttemptResult(http));
      last = {
        outcome,
        attempts,
        ...(http.kind === 'response' ? { status: http.status, body: http.body } : {}),
      };
      if (outcome.kind !== 'retry') return last;
      const delay = this.retryDelay(http, attempts, outcome.reason);
      if (delay.kind === 'give-up') {
        const wait = delay.retryAfterMs === undefined ? {} : { retryAfterMs: delay.retryAfterMs };
        return { ...last, outcome: { ...outcome, ...wait } };
      }
      await this.options.deps.sleep(delay.delayMs);
    }
  }

  /** An expired or revoked OAuth token: drop it so the next attempt fetches a new one (once). */
  private reauthenticate(http: HttpAttempt): boolean {
    const { invalidate } = this.options.auth;
    if (http.kind !== 'response' || http.status !== 401 || !invalidate) return false;
    invalidate.call(this.options.auth);
    return true;
  }

  private retryDelay(http: HttpAttempt, attempts: number, reason: string): RetryDecision {
    // A refused credential does not heal within milliseconds: park the contact (the connector retries
    // later) instead of hammering the provider and tripping the breaker with our own mistake.
    if (http.kind === 'response' && http.status === 401) return { kind: 'give-up' };
    const now = this.options.deps.now();
    const serverDelayMs =
      http.kind === 'response' ? serverRequestedDelay(http.status, http.headers, now) : undefined;
    const decision = decideRetry({
      policy: this.options.retry,
      attempts,
      random: this.options.deps.random(),
      ...(serverDelayMs === undefined ? {} : { serverDelayMs }),
    });
    if (decision.kind === 'retry-in') {
      if (http.kind === 'response' && http.status === 429 && serverDelayMs !== undefined) {
        this.pausedUntilMs = Math.max(this.pausedUntilMs, now + serverDelayMs);
      }
      this.options.deps.metrics.onRetry?.(this.provider, {
        attempt: attempts,
        delayMs: decision.delayMs,
        reason,
      });
    }
    return decision;
  }

  /** Waits for the pause and a token (holding a concurrency slot), asks the breaker, sends. */
  private async attemptOnce(
    request: HttpRequest,
  ): Promise<{ kind: 'sent'; http: HttpAttempt } | { kind: 'refused'; outcome: RequestOutcome }> {
    const { deps } = this.options;
    if (this.openAndCooling()) return { kind: 'refused', outcome: this.circuitOpenOutcome() };
    await deps.sleep(this.pausedUntilMs - deps.now());
    const taken = take(this.bucket, deps.now());
    this.bucket = taken.state;
    await deps.sleep(taken.waitMs);
    if (!this.permitted()) return { kind: 'refused', outcome: this.circuitOpenOutcome() };
    const auth = await this.options.auth.headers();
    if (!auth.ok) {
      this.settleProbe();
      return { kind: 'refused', outcome: auth.outcome };
    }
    const started = deps.now();
    const http = await sendOnce(request, {
      fetch: deps.fetch,
      baseUrl: this.options.baseUrl,
      headers: auth.headers,
      timeoutMs: this.options.timeoutMs,
    });
    deps.metrics.onRequest?.(
      this.provider,
      http.kind === 'response' ? http.status : http.code,
      deps.now() - started,
    );
    this.record(toAttemptResult(http));
    return { kind: 'sent', http };
  }

  /** Peek without a state change: refuse at once instead of queueing for a token first. */
  private openAndCooling(): boolean {
    const { status, openedAtMs } = this.circuit;
    return status === 'open' && this.options.deps.now() - openedAtMs < this.options.circuit.coolDownMs;
  }

  private permitted(): boolean {
    const permission = requestPermission(this.circuit, this.options.circuit, this.options.deps.now());
    this.setCircuit(permission.state);
    return permission.allowed;
  }

  private circuitOpenOutcome(): RequestOutcome {
    const remaining = this.circuit.openedAtMs + this.options.circuit.coolDownMs - this.options.deps.now();
    return { kind: 'retry', reason: 'circuit open', retryAfterMs: Math.max(0, remaining) };
  }

  /** A probe that never reached the provider (auth failed first) must not leave the breaker stuck. */
  private settleProbe(): void {
    if (!this.circuit.probeInFlight) return;
    const openedAtMs = this.options.deps.now();
    this.setCircuit({ ...this.circuit, status: 'open', probeInFlight: false, openedAtMs });
  }

  private record(result: AttemptResult): void {
    const now = this.options.deps.now();
    const cfg = this.options.circuit;
    this.setCircuit(
      isProviderFailure(result)
        ? recordFailure(this.circuit, cfg, now)
        : recordSuccess(this.circuit, cfg, now),
    );
  }

  private setCircuit(next: CircuitBreaker): void {
    const from = this.circuit.status;
    this.circuit = next;
    if (from !== next.status) this.options.deps.metrics.onCircuitChange?.(this.provider, from, next.status);
  }
}

/**
 * Refused by the breaker (or auth) before sending. After real attempts the last real answer is the
 * more useful reason; the breaker only adds when to come back.
 */
function refusedResult(refusal: RequestOutcome, last: CallResult | undefined): CallResult {
  if (!last || last.outcome.kind !== 'retry' || refusal.kind !== 'retry')
    return { outcome: refusal, attempts: last?.attempts ?? 0 };
  const wait = refusal.retryAfterMs === undefined ? {} : { retryAfterMs: refusal.retryAfterMs };
  return { ...last, outcome: { ...last.outcome, ...wait } };
}

const toAttemptResult = (http: HttpAttempt): AttemptResult =>
  http.kind === 'response'
    ? { kind: 'response', status: http.status }
    : { kind: 'network-error', code: http.code };
