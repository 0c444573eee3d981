import { loadTopicCatalogue, type TopicCatalogue } from '@optstream/consent-topics';

/** Each platform's id of every catalogue topic it represents (docs/connectors.md, "Topics"). */
export interface TopicRepresentations {
  readonly sendgrid: Readonly<Record<string, number>>;
  readonly mailchimpInterests: Readonly<Record<string, string>>;
  readonly braze: Readonly<Record<string, string>>;
  readonly attentive: Readonly<Record<string, 'MARKETING' | 'TRANSACTIONAL'>>;
  readonly onesignal: Readonly<Record<string, string>>;
}

/**
 * Topic id → platform id maps from a validated catalogue. A Mailchimp topic represented by a tag is not
 * written: members' tags need a second call per member that the connector does not make yet.
 */
export function topicRepresentations(catalogue: TopicCatalogue): TopicRepresentations {
  const pick = <T>(of: (providers: TopicCatalogue['topics'][number]['providers']) => T | undefined) =>
    Object.fromEntries(
      catalogue.topics.flatMap((t) => {
        const value = of(t.providers);
        return value === undefined ? [] : [[t.id, value] as const];
      }),
    );
  return {
    sendgrid: pick((p) => p.sendgrid?.unsubscribeGroupId),
    mailchimpInterests: pick((p) =>
      p.mailchimp && 'interestId' in p.mailchimp ? p.mailchimp.interestId : undefined,
    ),
    braze: pick((p) => p.braze?.subscriptionGroupId),
    attentive: pick((p) => p.attentive?.subscriptionType),
    onesignal: pick((p) => p.onesignal?.tag),
  };
}

/** The catalogue a connector runs with (`CONSENT_TOPICS_FILE` or the versioned one), validated. */
export const topicRepresentationsFromEnv = (source: NodeJS.ProcessEnv): TopicRepresentations =>
  topicRepresentations(loadTopicCatalogue(source).catalogue);
