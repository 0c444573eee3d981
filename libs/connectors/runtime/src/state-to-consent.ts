import type { ChannelPreference, ContactPreferencesState } from '@optstream/contracts';
import type {
  Channel,
  ConsentStatus,
  ContactConsent,
  PendingRequest,
  TopicConsent,
} from '@optstream/connectors-domain';

const KNOWN_CHANNELS = new Set<string>(['email', 'sms', 'push']);
const KNOWN_STATUSES = new Set<string>(['subscribed', 'unsubscribed']);

/**
 * The consent a provider must hold, from a state message. Channels or statuses this connector does not
 * know yet (the Avro enums fall back to `unknown` when a newer producer adds one) are left out rather
 * than guessed. `pending` is not consent (docs/consent-model.md): a pending channel or topic is left out
 * too, so no platform is subscribed on it and none is unsubscribed either; a pending channel is named
 * in `pending` instead, for the double opt-in confirmation mail (docs/preference-center.md).
 */
export function consentFromState(state: ContactPreferencesState): ContactConsent {
  const channels: Partial<Record<Channel, ConsentStatus>> = {};
  const topics: Partial<Record<Channel, readonly TopicConsent[]>> = {};
  const pending: Partial<Record<Channel, PendingRequest>> = {};
  for (const preference of state.channels) {
    if (!KNOWN_CHANNELS.has(preference.channel)) continue;
    const channel = preference.channel as Channel;
    if (KNOWN_STATUSES.has(preference.status)) channels[channel] = preference.status as ConsentStatus;
    if (preference.status === 'pending')
      pending[channel] = { eventId: preference.eventId, expiresAt: preference.pendingExpiresAt ?? null };
    const known = topicsOf(preference);
    if (known.length > 0) topics[channel] = known;
  }
  return {
    externalId: state.externalId,
    version: state.version,
    channels,
    ...(Object.keys(topics).length > 0 ? { topics } : {}),
    ...(Object.keys(pending).length > 0 ? { pending } : {}),
    causationId: state.causationId,
  };
}

/** Topic entries whose own and effective statuses are both a known consent (see consentFromState). */
function topicsOf(preference: ChannelPreference): TopicConsent[] {
  return (preference.topics ?? []).flatMap((t) =>
    KNOWN_STATUSES.has(t.status) && KNOWN_STATUSES.has(t.effectiveStatus)
      ? [{ topic: t.topic, status: t.status as ConsentStatus, effective: t.effectiveStatus as ConsentStatus }]
      : [],
  );
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
