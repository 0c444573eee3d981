import { PROVIDER_NAMES } from '@optstream/connectors-domain';
import type { ReliableProviderAdapter } from './adapter';
import { createAttentiveAdapter } from './attentive/attentive-adapter';
import { createBrazeAdapter } from './braze/braze-adapter';
import { resolveReliability, type ProviderConfig, type ProvidersConfig } from './config';
import { resolveDeps, type ProviderDeps, type ResolvedDeps } from './deps';
import { createMailchimpAdapter } from './mailchimp/mailchimp-adapter';
import { createOneSignalAdapter } from './onesignal/onesignal-adapter';
import { createSendgridAdapter } from './sendgrid/sendgrid-adapter';

/**
 * One provider adapter behind its reliability wrapper (rate limit, concurrency, retries, breaker,
 * metrics). Throws only for an unusable configuration (missing Braze URL, Mailchimp key without dc).
 */
export function createProvider(config: ProviderConfig, deps?: ProviderDeps): ReliableProviderAdapter {
  // As many batches in flight as the client lets requests through at once: its semaphore, not this
  // number, is what keeps the provider's connection limit.
  const { maxConcurrency } = resolveReliability(config.provider, config).rateLimit;
  return { ...adapterFor(config, resolveDeps(deps)), maxInFlight: maxConcurrency };
}

function adapterFor(config: ProviderConfig, resolved: ResolvedDeps): ReliableProviderAdapter {
  switch (config.provider) {
    case 'sendgrid':
      return createSendgridAdapter(config, resolved);
    case 'mailchimp':
      return createMailchimpAdapter(config, resolved);
    case 'braze':
      return createBrazeAdapter(config, resolved);
    case 'onesignal':
      return createOneSignalAdapter(config, resolved);
    case 'attentive':
      return createAttentiveAdapter(config, resolved);
  }
}

/** Every configured provider, in PROVIDER_NAMES order; each gets its own limits and breaker. */
export function createAdapters(config: ProvidersConfig, deps?: ProviderDeps): ReliableProviderAdapter[] {
  return PROVIDER_NAMES.flatMap((provider) => {
    const settings = config[provider];
    return settings ? [createProvider({ provider, ...settings } as ProviderConfig, deps)] : [];
  });
}
