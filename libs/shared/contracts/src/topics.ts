/**
 * Every topic optstream owns, declared as data. The admin step creates them from this list (nothing is
 * ever auto-created), the AsyncAPI document is checked against it, and tests assert that the broker's
 * configs match it.
 */
export type SchemaName =
  | 'contact-inbound.v1'
  | 'marketing-preference-updated.v1'
  | 'identity.v1'
  | 'contact-preferences-state.v1'
  | 'dead-letter.v1';

export interface TopicDeclaration {
  readonly name: string;
  /** The value schema, as the file name under `schemas/` without `.avsc`. */
  readonly valueSchema: SchemaName;
  /** What the message key is; never a plaintext email or phone. */
  readonly key: string;
  readonly partitions: number;
  readonly configs: Readonly<Record<string, string>>;
  readonly producers: readonly string[];
  readonly consumers: readonly string[];
  readonly description: string;
}

const SEVEN_DAYS_MS = String(7 * 24 * 60 * 60 * 1000);
const FOREVER = '-1';

/**
 * How long dead letters are kept by default (14 days). They may hold personal data that erasure cannot
 * reach in a topic (docs/privacy.md), so never forever; each writing service takes
 * `DEAD_LETTER_RETENTION_MS` to create its topic with another bound.
 */
export const DEAD_LETTER_RETENTION_MS = 14 * 24 * 60 * 60 * 1000;

export const TOPICS = {
  contactInbound: {
    name: 'contact.inbound.v1',
    valueSchema: 'contact-inbound.v1',
    key: 'keyed hash (HMAC-SHA256, base64url) of the strongest identifier: externalId, else email, else phone',
    partitions: 12,
    // Raw identifiers live here, so the topic forgets them on its own.
    configs: { 'cleanup.policy': 'delete', 'retention.ms': SEVEN_DAYS_MS },
    producers: ['ingestion-gateway', 'cli (backfill)'],
    consumers: ['identity-resolver'],
    description:
      'Normalized inbound facts from every channel: preference changes, identifies, push permission changes.',
  },
  identity: {
    name: 'identity.v1',
    valueSchema: 'identity.v1',
    key: 'externalId',
    partitions: 12,
    configs: { 'cleanup.policy': 'delete', 'retention.ms': FOREVER },
    producers: ['identity-resolver'],
    consumers: ['identity-resolver', 'preference-projector'],
    description: 'Identity graph events; identifier values are sealed with the contact data key.',
  },
  marketingPreferenceUpdated: {
    name: 'marketing-preference-updated.v1',
    valueSchema: 'marketing-preference-updated.v1',
    key: 'externalId',
    partitions: 12,
    configs: { 'cleanup.policy': 'delete', 'retention.ms': FOREVER },
    producers: ['identity-resolver'],
    consumers: ['preference-projector', 'cli (audit, history)'],
    description:
      'THE event log of consent changes, kept forever, no personal data but the pseudonymous externalId.',
  },
  contactPreferencesState: {
    name: 'contact-preferences.state.v1',
    valueSchema: 'contact-preferences-state.v1',
    key: 'externalId',
    partitions: 12,
    configs: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '0', 'segment.ms': '3600000' },
    producers: ['preference-projector'],
    consumers: ['connector-email', 'connector-sms', 'connector-push'],
    description:
      "Each contact's full current consent after every effective change; the table other services subscribe to.",
  },
  ingestionDeadLetter: deadLetter('ingestion.dead-letter.v1', ['ingestion-gateway']),
  identityDeadLetter: deadLetter('identity.dead-letter.v1', ['identity-resolver']),
  preferencesDeadLetter: deadLetter('preferences.dead-letter.v1', ['preference-projector']),
  connectorsDeadLetter: deadLetter('connectors.dead-letter.v1', [
    'connector-email',
    'connector-sms',
    'connector-push',
  ]),
} as const satisfies Record<string, TopicDeclaration>;

function deadLetter(name: string, producers: readonly string[]): TopicDeclaration {
  return {
    name,
    valueSchema: 'dead-letter.v1',
    key: 'the original message key as received (none for HTTP input, which has no message yet)',
    partitions: 3,
    // Nothing is dropped silently, but nothing personal is kept forever: an alert fires on the first dead
    // letter, and the operator has the retention to replay or purge it.
    configs: { 'cleanup.policy': 'delete', 'retention.ms': String(DEAD_LETTER_RETENTION_MS) },
    producers,
    consumers: ['cli (dlq replay)'],
    description: `What ${producers.join(', ')} could not process: original bytes, headers, reason, attempts.`,
  };
}

/**
 * Configs every topic gets once it has more than one replica, i.e. in every replicated deployment. With
 * acks=all (all our producers), a write is then acknowledged only when two replicas hold it, so it
 * survives the loss of its leader; with the broker default of 1 it could live on the leader alone. A
 * single-broker development stack cannot have two in-sync replicas and goes without.
 */
export const REPLICATED_TOPIC_CONFIGS: Readonly<Record<string, string>> = { 'min.insync.replicas': '2' };

/** A topic's configs for a deployment where it has `replicas` replicas. */
export const topicConfigs = (topic: TopicDeclaration, replicas: number): Readonly<Record<string, string>> =>
  replicas > 1 ? { ...topic.configs, ...REPLICATED_TOPIC_CONFIGS } : topic.configs;

/** A dead-letter topic's declaration under a configured name and retention (tests and operators). */
export function deadLetterTopicAs(
  declaration: TopicDeclaration,
  name: string,
  retentionMs: number,
): TopicDeclaration {
  return { ...declaration, name, configs: { ...declaration.configs, 'retention.ms': String(retentionMs) } };
}

export type TopicKey = keyof typeof TOPICS;
export const ALL_TOPICS: readonly TopicDeclaration[] = Object.values(TOPICS);
