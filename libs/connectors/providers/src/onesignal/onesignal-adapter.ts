import {
  ONESIGNAL_PER_USER_WRITE_INTERVAL_MS,
  combineOutcomes,
  oneSignalFingerprint,
  oneSignalLookup,
  oneSignalTagUpdate,
  oneSignalUpdates,
  parseOneSignalTags,
  type OneSignalMappingConfig,
  oneSignalViewOf,
  parseOneSignalSubscriptions,
  type ContactConsent,
  type ContactRef,
  type DeliveryOutcome,
  type DeliveryResult,
  type ProviderView,
} from '@optstream/connectors-domain';
import { reliableClient, staticAuth, type ReliableProviderAdapter } from '../adapter';
import { DEFAULT_BASE_URLS, type OneSignalSettings } from '../config';
import type { ResolvedDeps } from '../deps';
import { failedRead } from '../read-result';
import { KeySpacer } from '../reliability/key-spacer';
import type { ReliableClient } from '../reliability/reliable-client';
import { eraseWith } from '../erasure';

/** Each contact costs a lookup plus its writes; the batch size only bounds one `deliver` call. */
const ONESIGNAL_MAX_BATCH = 100;

export function createOneSignalAdapter(
  settings: OneSignalSettings,
  deps: ResolvedDeps,
): ReliableProviderAdapter {
  const auth = staticAuth({ authorization: `Key ${settings.apiKey}` });
  const client = reliableClient(
    'onesignal',
    settings.baseUrl ?? DEFAULT_BASE_URLS.onesignal,
    auth,
    settings,
    deps,
  );
  const interval = settings.perUserWriteIntervalMs ?? ONESIGNAL_PER_USER_WRITE_INTERVAL_MS;
  const spacer = new KeySpacer(interval, deps.now, deps.sleep);
  const mapping = {
    appId: settings.appId,
    ...(settings.topicTags ? { topicTags: settings.topicTags } : {}),
  };
  const deliverOne = async (contact: ContactConsent): Promise<DeliveryResult> => ({
    externalId: contact.externalId,
    version: contact.version,
    outcome: await syncContact(client, spacer, mapping, contact),
  });
  return {
    provider: 'onesignal',
    needs: [],
    maxBatch: ONESIGNAL_MAX_BATCH,
    fingerprint: oneSignalFingerprint,
    circuitStatus: () => client.circuitStatus(),
    // OneSignal deletes a user and its subscriptions by external id.
    erase: (externalId: string) =>
      eraseWith(client, externalId, {
        method: 'DELETE',
        path: `/apps/${encodeURIComponent(settings.appId)}/users/by/external_id/${encodeURIComponent(externalId)}`,
      }),
    deliver: (batch) => Promise.all(batch.map(deliverOne)),
    read: async (ref: ContactRef): Promise<ProviderView> => {
      const result = await client.call(oneSignalLookup(ref.externalId, mapping));
      if (result.outcome.kind !== 'delivered') return failedRead(result);
      return { kind: 'found', channels: oneSignalViewOf(parseOneSignalSubscriptions(result.body)) };
    },
  };
}

/**
 * Look the user up, then PATCH each subscription that differs. A 404 means the person never had a
 * device (or email/SMS subscription) on OneSignal: there is nothing to switch off.
 */
async function syncContact(
  client: ReliableClient,
  spacer: KeySpacer,
  mapping: OneSignalMappingConfig,
  contact: ContactConsent,
): Promise<DeliveryOutcome> {
  if (Object.keys(contact.channels).length === 0 && (contact.topics?.push ?? []).length === 0)
    return { kind: 'not-applicable', reason: 'no consent to represent' };
  const lookup = await client.call(oneSignalLookup(contact.externalId, mapping));
  if (lookup.status === 404)
    return { kind: 'not-applicable', reason: 'no OneSignal user for this external id' };
  if (lookup.outcome.kind !== 'delivered') return lookup.outcome;
  const tagUpdate = oneSignalTagUpdate(contact, parseOneSignalTags(lookup.body), mapping);
  const updates = [
    ...oneSignalUpdates(contact, parseOneSignalSubscriptions(lookup.body), mapping),
    ...(tagUpdate ? [tagUpdate] : []),
  ];
  const outcomes = [];
  // Sequential and spaced: OneSignal allows one write per second per user.
  for (const update of updates) {
    const result = await spacer.run(contact.externalId, () =>
      client.call(update, { idempotencyFor: [contact] }),
    );
    outcomes.push(result.outcome);
  }
  return combineOutcomes(outcomes);
}
