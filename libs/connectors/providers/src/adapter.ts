import type {
  CircuitStatus,
  ProviderAdapter,
  ProviderEraser,
  ProviderReader,
} from '@optstream/connectors-domain';
import { ReliableClient, type Authenticator } from './reliability/reliable-client';
import { resolveReliability, type ReliabilitySettings } from './config';
import type { ResolvedDeps } from './deps';
import type { ProviderName } from '@optstream/connectors-domain';

/** An adapter with its reliability wrapper: delivery, the audit read, and the breaker for health. */
export interface ReliableProviderAdapter extends ProviderAdapter, ProviderReader {
  /** A platform, never the confirmation mail: the audit reads these back. */
  readonly provider: ProviderName;
  circuitStatus(): CircuitStatus;
  /** Present where the platform can delete a person by externalId. */
  erase?: ProviderEraser['erase'];
}

export function reliableClient(
  provider: ProviderName,
  baseUrl: string,
  auth: Authenticator,
  settings: ReliabilitySettings,
  deps: ResolvedDeps,
): ReliableClient {
  return new ReliableClient({ provider, baseUrl, auth, deps, ...resolveReliability(provider, settings) });
}

/** Static auth headers (API keys). */
export const staticAuth = (headers: Record<string, string>): Authenticator => ({
  headers: () => Promise.resolve({ ok: true, headers }),
});
