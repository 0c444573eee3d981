import type { ContactPreferencesState } from '@optstream/contracts';
import type { Channel, ConsentStatus, ContactConsent } from '@optstream/connectors-domain';

const KNOWN_CHANNELS = new Set<string>(['email', 'sms', 'push']);
const KNOWN_STATUSES = new Set<string>(['subscribed', 'unsubscribed']);

/**
 * The consent a provider must hold, from a state message. Channels or statuses this connector does not
 * know yet (the Avro enums fall back to `unknown` when a newer producer adds one) are left out rather
 * than guessed.
 */
export function consentFromState(state: ContactPreferencesState): ContactConsent {
  const channels: Partial<Record<Channel, ConsentStatus>> = {};
  for (const preference of state.channels) {
    if (KNOWN_CHANNELS.has(preference.channel) && KNOWN_STATUSES.has(preference.status)) {
      channels[preference.channel as Channel] = preference.status as ConsentStatus;
    }
  }
  return {
    externalId: state.externalId,
    version: state.version,
    channels,
    causationId: state.causationId,
  };
}

/** Per contact only the newest state matters: a batch collapses to the highest version of each. */
export function newestPerContact<T extends { consent: ContactConsent }>(items: readonly T[]): T[] {
  const newest = new Map<string, T>();
  for (const item of items) {
    const seen = newest.get(item.consent.externalId);
    if (seen === undefined || seen.consent.version < item.consent.version)
      newest.set(item.consent.externalId, item);
  }
  return [...newest.values()];
}
