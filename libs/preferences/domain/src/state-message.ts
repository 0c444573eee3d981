import type { ChannelPreference, ContactPreferencesState } from '@optstream/contracts';
import { CHANNEL_ORDER } from './channels';
import type { ContactState } from './contact-state';

/**
 * The `contact-preferences.state.v1` value for a contact: every channel with a known status, in
 * `CHANNEL_ORDER` so equal states encode identically. Time and causation come in as arguments (the
 * domain never reads the clock): `updatedAt` is the projector's processing time, `causationId` the
 * eventId of the change that produced this state.
 */
export const toStateMessage = (
  state: ContactState,
  updatedAt: number,
  causationId: string,
): ContactPreferencesState => ({
  externalId: state.externalId,
  channels: CHANNEL_ORDER.flatMap((channel): ChannelPreference[] => {
    const entry = state.channels[channel];
    if (entry === undefined) return [];
    return [
      {
        channel,
        status: entry.status,
        occurredAt: entry.occurredAt,
        eventId: entry.eventId,
        sourceOfChange: entry.sourceOfChange,
      },
    ];
  }),
  version: state.version,
  updatedAt,
  causationId,
});
