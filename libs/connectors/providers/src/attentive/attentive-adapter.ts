import {
  attentiveFingerprint,
  attentiveReadRequest,
  attentiveViewOf,
  planAttentive,
  type ContactRef,
  type ProviderView,
} from '@optstream/connectors-domain';
import { reliableClient, type ReliableProviderAdapter } from '../adapter';
import { DEFAULT_BASE_URLS, DEFAULT_TIMEOUT_MS, type AttentiveSettings } from '../config';
import type { ResolvedDeps } from '../deps';
import { failedRead } from '../read-result';
import { executePlan } from '../reliability/execute-plan';
import { OAuthTokenCache } from './token-cache';

const ATTENTIVE_MAX_BATCH = 50;
export const ATTENTIVE_DEFAULT_TOKEN_PATH = '/oauth/token';

export function createAttentiveAdapter(
  settings: AttentiveSettings,
  deps: ResolvedDeps,
): ReliableProviderAdapter {
  const baseUrl = settings.baseUrl ?? DEFAULT_BASE_URLS.attentive;
  const tokens = new OAuthTokenCache(
    {
      baseUrl,
      path: settings.tokenPath ?? ATTENTIVE_DEFAULT_TOKEN_PATH,
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      timeoutMs: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    },
    deps,
  );
  const client = reliableClient('attentive', baseUrl, tokens, settings, deps);
  const mapping = {
    sendSubscribes: settings.sendSubscribes ?? false,
    ...(settings.signUpSourceId ? { signUpSourceId: settings.signUpSourceId } : {}),
    ...(settings.topicTypes ? { topicTypes: settings.topicTypes } : {}),
  };
  return {
    provider: 'attentive',
    needs: ['phone', 'email'],
    maxBatch: ATTENTIVE_MAX_BATCH,
    fingerprint: attentiveFingerprint,
    circuitStatus: () => client.circuitStatus(),
    deliver: (batch) => executePlan(client, batch, planAttentive(batch, mapping)),
    read: async (ref: ContactRef): Promise<ProviderView> => {
      if (!ref.phone && !ref.email) return { kind: 'not-applicable', reason: 'no phone or email' };
      const result = await client.call(attentiveReadRequest(ref));
      if (result.outcome.kind !== 'delivered') return failedRead(result);
      return { kind: 'found', channels: attentiveViewOf(result.body) };
    },
  };
}
