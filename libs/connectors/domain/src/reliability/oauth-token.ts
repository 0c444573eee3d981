export interface CachedToken {
  readonly accessToken: string;
  readonly expiresAtMs: number;
  /** When we stop using it: `skewMs` before expiry, or half-way for very short-lived tokens. */
  readonly refreshAtMs: number;
}

/**
 * From an OAuth2 token response (`expires_in` seconds; absent → assume a short 5 minutes). Refreshing
 * early means a token never expires between our check and the provider's.
 */
export function tokenFromResponse(body: unknown, nowMs: number, skewMs = 60_000): CachedToken | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { access_token: accessToken, expires_in: expiresIn } = body as Record<string, unknown>;
  if (typeof accessToken !== 'string' || accessToken === '') return undefined;
  const lifetimeMs = (typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : 300) * 1000;
  const usableMs = Math.max(lifetimeMs / 2, lifetimeMs - skewMs);
  return { accessToken, expiresAtMs: nowMs + lifetimeMs, refreshAtMs: nowMs + usableMs };
}

export function isTokenFresh(token: CachedToken | undefined, nowMs: number): token is CachedToken {
  return token !== undefined && nowMs < token.refreshAtMs;
}
