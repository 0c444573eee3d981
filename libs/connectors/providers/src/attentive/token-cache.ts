import {
  classifyAttempt,
  isTokenFresh,
  tokenFromResponse,
  type CachedToken,
  type RequestOutcome,
} from '@optstream/connectors-domain';
import type { ResolvedDeps } from '../deps';
import { sendOnce } from '../http/send';
import type { AuthResult, Authenticator } from '../reliability/reliable-client';

export interface TokenEndpoint {
  readonly baseUrl: string;
  readonly path: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly timeoutMs: number;
}

/**
 * OAuth2 client-credentials token, cached until shortly before expiry. Concurrent callers share one
 * in-flight token request (single flight), so a batch does not fetch a token per contact.
 */
export class OAuthTokenCache implements Authenticator {
  private token: CachedToken | undefined;
  private pending: Promise<AuthResult> | undefined;

  constructor(
    private readonly endpoint: TokenEndpoint,
    private readonly deps: ResolvedDeps,
  ) {}

  headers(): Promise<AuthResult> {
    if (isTokenFresh(this.token, this.deps.now())) return Promise.resolve(bearer(this.token.accessToken));
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  invalidate(): void {
    this.token = undefined;
  }

  private async fetchToken(): Promise<AuthResult> {
    const { endpoint, deps } = this;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: endpoint.clientId,
      client_secret: endpoint.clientSecret,
    });
    const started = deps.now();
    const http = await sendOnce(
      {
        method: 'POST',
        path: endpoint.path,
        body: form.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      { fetch: deps.fetch, baseUrl: endpoint.baseUrl, headers: {}, timeoutMs: endpoint.timeoutMs },
    );
    deps.metrics.onRequest?.(
      'attentive',
      http.kind === 'response' ? http.status : http.code,
      deps.now() - started,
    );
    if (http.kind === 'network-error') return { ok: false, outcome: classifyAttempt(http) };
    const token = http.status === 200 ? tokenFromResponse(http.body, deps.now()) : undefined;
    if (!token) return { ok: false, outcome: tokenFailure(http.status) };
    this.token = token;
    return bearer(token.accessToken);
  }
}

const bearer = (accessToken: string): AuthResult => ({
  ok: true,
  headers: { authorization: `Bearer ${accessToken}` },
});

/** A refused client is a configuration error like a bad API key: retry, never dead-letter. */
function tokenFailure(status: number): RequestOutcome {
  if (status === 400 || status === 401 || status === 403) {
    return { kind: 'retry', reason: `credentials rejected (token endpoint ${status})` };
  }
  const outcome = classifyAttempt({ kind: 'response', status });
  return outcome.kind === 'retry' ? outcome : { kind: 'retry', reason: `token endpoint answered ${status}` };
}
