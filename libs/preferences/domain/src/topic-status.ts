import type { KnownStatus } from './channels';
import type { ChannelConsent } from './contact-state';
import { effectiveTopicStatus, slotWinner } from './precedence';

/**
 * The status to act on for one topic of a channel (docs/consent-model.md): the topic's effective status
 * when it has a choice on record — a channel-wide opt-out beats it —, else the channel's own (a topic
 * without an entry follows the channel). Undefined when neither has a choice.
 */
export const topicStatusOf = (
  consent: ChannelConsent | undefined,
  topic: string,
): KnownStatus | undefined => {
  if (consent === undefined) return undefined;
  const channel = slotWinner(consent.wide)?.status;
  const slot = consent.topics[topic];
  const own = slot === undefined ? undefined : slotWinner(slot);
  return own === undefined ? channel : effectiveTopicStatus(channel, own.status);
};
