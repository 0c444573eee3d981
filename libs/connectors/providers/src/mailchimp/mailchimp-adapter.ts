import {
  isMailchimpComplianceRefusal,
  isMailchimpThrottle,
  mailchimpPendingInstead,
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
import { executePlan, sameForAll, type PlanClient } from '../reliability/execute-plan';
import type { CallResult, ReliableClient } from '../reliability/reliable-client';

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
    ...(settings.topicInterests ? { topicInterests: settings.topicInterests } : {}),
  };
  const writer = pendingWhenInComplianceState(client);
  return {
    provider: 'mailchimp',
    needs: ['email'],
    maxBatch: MAILCHIMP_MAX_BATCH,
    fingerprint: mailchimpFingerprint,
    circuitStatus: () => client.circuitStatus(),
    deliver: (batch) => executePlan(writer, batch, planMailchimp(batch, mapping), { interpret }),
    read: async (ref: ContactRef): Promise<ProviderView> => {
      if (!ref.email) return { kind: 'not-applicable', reason: 'no email address' };
      const result = await client.call({ method: 'GET', path: mailchimpMemberPath(mapping, ref.email) });
      if (result.outcome.kind !== 'delivered') return failedRead(result);
      return { kind: 'found', channels: mailchimpViewOf(result.body, mapping) };
    },
  };
}

/**
 * A channel-wide re-subscribe of a member who unsubscribed is refused by Mailchimp (compliance state);
 * it is asked again as `pending`, Mailchimp's own double opt-in, instead of being dead-lettered.
 */
function pendingWhenInComplianceState(client: ReliableClient): PlanClient {
  return {
    call: async (request, options) => {
      const result = await client.call(request, options);
      const pending = isMailchimpComplianceRefusal(result.status, result.body)
        ? mailchimpPendingInstead(request)
        : undefined;
      return pending ? client.call(pending, options) : result;
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
