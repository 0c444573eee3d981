import { createHash } from 'node:crypto';
import { z } from 'zod';

export const SCOPES = ['read', 'audiences', 'links', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * API keys by their SHA-256, so a lookup never compares secrets byte by byte (no timing oracle on the
 * key itself) and the process does not keep the plaintext keys around.
 */
export type ApiKeys = ReadonlyMap<string, ReadonlySet<Scope>>;

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

export function parseApiKeys(raw: string, ctx: z.RefinementCtx): ApiKeys {
  const keys = new Map<string, Set<Scope>>();
  for (const entry of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [key, scopes] = entry.split(':');
    const parsed = (scopes ?? '').split('+').filter(Boolean);
    const unknown = parsed.filter((s) => !(SCOPES as readonly string[]).includes(s));
    if (!key || key.length < 16 || parsed.length === 0 || unknown.length > 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `entry "${(key ?? '').slice(0, 4)}…" must be <key of 16+ chars>:<scope>[+<scope>] with scopes ${SCOPES.join(', ')}`,
      });
      return new Map();
    }
    keys.set(hashApiKey(key), new Set(parsed as Scope[]));
  }
  return keys;
}

/** admin implies every scope. */
export const grants = (held: ReadonlySet<Scope>, needed: Scope): boolean =>
  held.has(needed) || held.has('admin');
