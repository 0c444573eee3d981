import {
  planSendgrid,
  sendgridFingerprint,
  sendgridReadRequest,
  sendgridViewOf,
  type ContactConsent,
  type ContactRef,
  type PlannedRequest,
  type ProviderView,
  type RequestOutcome,
} from '@optstream/connectors-domain';
import { reliableClient, staticAuth, type ReliableProviderAdapter } from '../adapter';
import { DEFAULT_BASE_URLS, type SendgridSettings } from '../config';
import type { ResolvedDeps } from '../deps';
import { failedRead } from '../read-result';
import { executePlan, sameForAll } from '../reliability/execute-plan';
import type { CallResult } from '../reliability/reliable-client';

/** Unsubscribed addresses of a batch travel in one POST; 100 keeps that request small. */
const SENDGRID_MAX_BATCH = 100;

export function createSendgridAdapter(
  settings: SendgridSettings,
  deps: ResolvedDeps,
): ReliableProviderAdapter {
  const auth = staticAuth({ authorization: `Bearer ${settings.apiKey}` });
  const client = reliableClient(
    'sendgrid',
    settings.baseUrl ?? DEFAULT_BASE_URLS.sendgrid,
    auth,
    settings,
    deps,
  );
  const mapping = {
    groupIds: settings.groupIds ?? [],
    ...(settings.topicGroups ? { topicGroups: settings.topicGroups } : {}),
  };
  return {
    provider: 'sendgrid',
    needs: ['email'],
    maxBatch: SENDGRID_MAX_BATCH,
    fingerprint: sendgridFingerprint,
    circuitStatus: () => client.circuitStatus(),
    deliver: (batch) =>
      executePlan(client, batch, planSendgrid(batch, mapping), { split: splitSuppression, interpret }),
    read: async (ref: ContactRef): Promise<ProviderView> => {
      if (!ref.email) return { kind: 'not-applicable', reason: 'no email address' };
      const result = await client.call(sendgridReadRequest(ref.email, mapping));
      if (result.outcome.kind !== 'delivered') return failedRead(result);
      return { kind: 'found', channels: { email: sendgridViewOf(result.body, mapping) } };
    },
  };
}

/** One POST per address, so the poison one is the only one rejected. */
function splitSuppression(planned: PlannedRequest): PlannedRequest[] {
  return planned.contacts.map((contact) => ({
    request: { ...planned.request, body: { recipient_emails: [contact.email] } },
    contacts: [contact],
  }));
}

/** DELETE of an address that is not suppressed: the goal state already holds. */
function interpret(planned: PlannedRequest, result: CallResult): Map<ContactConsent, RequestOutcome> {
  const alreadyGone = planned.request.method === 'DELETE' && result.status === 404;
  return sameForAll(planned, alreadyGone ? { kind: 'delivered' } : result.outcome);
}
