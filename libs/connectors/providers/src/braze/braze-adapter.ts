import {
  BRAZE_MAX_BATCH,
  brazeFingerprint,
  brazeReadRequest,
  brazeRejectedIndexes,
  brazeViewOf,
  planBraze,
  type ContactConsent,
  type ContactRef,
  type PlannedRequest,
  type ProviderView,
  type RequestOutcome,
} from '@optstream/connectors-domain';
import { reliableClient, staticAuth, type ReliableProviderAdapter } from '../adapter';
import type { BrazeSettings } from '../config';
import type { ResolvedDeps } from '../deps';
import { eraseWith } from '../erasure';
import { failedRead } from '../read-result';
import { executePlan, sameForAll } from '../reliability/execute-plan';
import type { CallResult } from '../reliability/reliable-client';

export function createBrazeAdapter(settings: BrazeSettings, deps: ResolvedDeps): ReliableProviderAdapter {
  if (!settings.baseUrl) throw new Error('Braze needs its instance REST URL (BRAZE_API_URL)');
  const auth = staticAuth({ authorization: `Bearer ${settings.apiKey}` });
  const client = reliableClient('braze', settings.baseUrl, auth, settings, deps);
  const mapping = {
    ...(settings.smsSubscriptionGroupId ? { smsSubscriptionGroupId: settings.smsSubscriptionGroupId } : {}),
    ...(settings.topicGroups ? { topicGroups: settings.topicGroups } : {}),
  };
  return {
    provider: 'braze',
    needs: [],
    maxBatch: BRAZE_MAX_BATCH,
    fingerprint: (consent) => brazeFingerprint(consent, mapping),
    circuitStatus: () => client.circuitStatus(),
    deliver: (batch) =>
      executePlan(client, batch, planBraze(batch, mapping), { interpret: partialSuccess, split }),
    // Braze deletes profiles by external id (POST /users/delete, asynchronous on their side).
    erase: (externalId: string) =>
      eraseWith(client, externalId, {
        method: 'POST',
        path: '/users/delete',
        body: { external_ids: [externalId] },
      }),
    read: async (ref: ContactRef): Promise<ProviderView> => {
      const result = await client.call(brazeReadRequest(ref.externalId));
      if (result.outcome.kind !== 'delivered') return failedRead(result);
      const channels = brazeViewOf(result.body, mapping);
      return channels ? { kind: 'found', channels } : { kind: 'not-found' };
    },
  };
}

/** `{"message":"success","errors":[{index}]}`: the indexed objects were refused, the rest stored. */
function partialSuccess(planned: PlannedRequest, result: CallResult): Map<ContactConsent, RequestOutcome> {
  const outcomes = sameForAll(planned, result.outcome);
  if (result.outcome.kind !== 'delivered') return outcomes;
  for (const [index, type] of brazeRejectedIndexes(result.body)) {
    const contact = planned.contacts[index];
    if (contact)
      outcomes.set(contact, {
        kind: 'rejected',
        reason: `Braze refused the object: ${type}`,
        status: result.status ?? 201,
      });
  }
  return outcomes;
}

/** A whole request refused (every object bad, or a malformed one): find the culprits one by one. */
function split(planned: PlannedRequest): PlannedRequest[] {
  const attributes = (planned.request.body as { attributes: unknown[] }).attributes;
  return planned.contacts.map((contact, i) => ({
    request: { ...planned.request, body: { attributes: [attributes[i]] } },
    contacts: [contact],
  }));
}
