import {
  isMailchimpThrottle,
  mailchimpFingerprint,
  mailchimpMemberPath,
  mailchimpViewOf,
  planMailchimp,
  type ContactConsent,
  type ContactRef,
  type PlannedRequest,
  type ProviderView,
  type RequestOutcome,
} from '@optstream/connectors-domain';
import { reliableClient, staticAuth, type ReliableProviderAdapter } from '../adapter';
import { mailchimpBaseUrl, type MailchimpSettings } from '../config';
import type { ResolvedDeps } from '../deps';
import { failedRead } from '../read-result';
import { executePlan, sameForAll } from '../reliability/execute-plan';
import type { CallResult } from '../reliability/reliable-client';

/** One PUT per contact; a batch is bounded by the 10-connection limit anyway. */
const MAILCHIMP_MAX_BATCH = 50;

export function createMailchimpAdapter(
  settings: MailchimpSettings,
  deps: ResolvedDeps,
): ReliableProviderAdapter {
  // HTTP Basic with any user name and the API key as the password.
  const basic = Buffer.from(`optstream:${settings.apiKey}`).toString('base64');
  const baseUrl = settings.baseUrl ?? mailchimpBaseUrl(settings.apiKey);
  const client = reliableClient(
    'mailchimp',
    baseUrl,
    staticAuth({ authorization: `Basic ${basic}` }),
    settings,
    deps,
  );
  const mapping = {
    listId: settings.listId,
    ...(settings.smsMergeTag ? { smsMergeTag: settings.smsMergeTag } : {}),
    ...(settings.pushMergeTag ? { pushMergeTag: settings.pushMergeTag } : {}),
  };
  return {
    provider: 'mailchimp',
    needs: ['email'],
    maxBatch: MAILCHIMP_MAX_BATCH,
    fingerprint: mailchimpFingerprint,
    circuitStatus: () => client.circuitStatus(),
    deliver: (batch) => executePlan(client, batch, planMailchimp(batch, mapping), { interpret }),
    read: async (ref: ContactRef): Promise<ProviderView> => {
      if (!ref.email) return { kind: 'not-applicable', reason: 'no email address' };
      const result = await client.call({ method: 'GET', path: mailchimpMemberPath(mapping, ref.email) });
      if (result.outcome.kind !== 'delivered') return failedRead(result);
      return { kind: 'found', channels: mailchimpViewOf(result.body, mapping) };
    },
  };
}

function interpret(planned: PlannedRequest, result: CallResult): Map<ContactConsent, RequestOutcome> {
  const throttled = isMailchimpThrottle(result.status, result.body);
  return sameForAll(
    planned,
    throttled ? { kind: 'retry', reason: 'Mailchimp sign-up throttle (400)' } : result.outcome,
  );
}
