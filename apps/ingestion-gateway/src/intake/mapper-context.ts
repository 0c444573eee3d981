import type { TopicIndex } from '@optstream/consent-topics';
import type { MapperContext } from '@optstream/ingestion-domain';

/**
 * What every mapper is given: the receive time, the phone region and the topic catalogue's lookups
 * (SendGrid groups, Mailchimp interest names, topics per channel). One place, so every source reads
 * topics from the same catalogue (docs/consent-model.md).
 */
export const mapperContext = (
  topics: TopicIndex,
  defaultRegion: string,
  receivedAt: number,
): MapperContext => ({
  receivedAt,
  defaultRegion,
  sendgridGroupTopic: (groupId) => topics.sendgridGroup(groupId)?.id,
  topicOfChannel: (topic, channel) => topics.covers(topic, channel),
  mailchimpInterests: topics.mailchimpInterestNames(),
});
