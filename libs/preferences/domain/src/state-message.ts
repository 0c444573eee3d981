import type { ChannelPreference, ContactPreferencesState, TopicPreference } from '@optstream/contracts';
import { CHANNEL_ORDER, type KnownChannel } from './channels';
import type { ChannelConsent, ContactState } from './contact-state';
import { effectiveTopicStatus, slotWinner } from './precedence';

/**
 * The `contact-preferences.state.v1` value for a contact: every channel with a choice on record, in
 * `CHANNEL_ORDER`, its topics sorted by id, so equal states encode identically. Time and causation
 * come in as arguments (the domain never reads the clock): `updatedAt` is the projector's processing
 * time, `causationId` the eventId of the change that produced this state.
 *
 * A channel with topic choices only has no channel-wide winner: it is listed with status `unknown`
 * (occurredAt 0, eventId ''), which a connector of the first release skips as it always skipped
 * symbols it does not know (docs/consent-model.md, "The contract").
 */
export const toStateMessage = (
  state: ContactState,
  updatedAt: number,
  causationId: string,
): ContactPreferencesState => ({
  externalId: state.externalId,
  channels: CHANNEL_ORDER.flatMap((channel): ChannelPreference[] => {
    const entry = state.channels[channel];
    const topics = topicPreferences(state, channel);
    if (entry === undefined && topics.length === 0) return [];
    return [
      {
        channel,
        status: entry?.status ?? 'unknown',
        occurredAt: entry?.occurredAt ?? 0,
        eventId: entry?.eventId ?? '',
        sourceOfChange: entry?.sourceOfChange ?? '',
        pendingExpiresAt: entry?.pendingExpiresAt ?? null,
        topics,
      },
    ];
  }),
  version: state.version,
  updatedAt,
  causationId,
});

const topicPreferences = (state: ContactState, channel: KnownChannel): TopicPreference[] => {
  const consent: ChannelConsent | undefined = state.consent[channel];
  if (consent === undefined) return [];
  const channelStatus = state.channels[channel]?.status;
  return Object.keys(consent.topics)
    .sort()
    .flatMap((topic): TopicPreference[] => {
      const slot = consent.topics[topic];
      const winner = slot === undefined ? undefined : slotWinner(slot);
      if (winner === undefined) return [];
      return [
        {
          topic,
          status: winner.status,
          effectiveStatus: effectiveTopicStatus(channelStatus, winner.status),
          occurredAt: winner.occurredAt,
          eventId: winner.eventId,
          sourceOfChange: winner.sourceOfChange,
          pendingExpiresAt: winner.pendingExpiresAt,
        },
      ];
    });
};
