import { ALL_TOPICS, REPLICATED_TOPIC_CONFIGS, topicConfigs, TOPICS } from '@optstream/contracts';
import {
  createKafkaClient,
  describeTopicConfigs,
  describeTopicDurability,
  ensureTopics,
  weakDurabilityWarnings,
} from '../src';
import { testKafkaConfig, uniqueName } from '@optstream/testing';

jest.setTimeout(60_000);

describe('declared topics', () => {
  const kafka = createKafkaClient(testKafkaConfig(), 'topics-test');

  it('are created idempotently and the broker holds exactly the declared configs and partitions', async () => {
    await ensureTopics(kafka, ALL_TOPICS);
    // A second run finds nothing to create.
    expect(await ensureTopics(kafka, ALL_TOPICS)).toEqual([]);

    const admin = kafka.admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: ALL_TOPICS.map((t) => t.name) });
      for (const declared of ALL_TOPICS) {
        const configs = await describeTopicConfigs(kafka, declared.name, Object.keys(declared.configs));
        expect({ topic: declared.name, configs }).toEqual({
          topic: declared.name,
          configs: declared.configs,
        });
        const partitions = metadata.topics.find((t) => t.name === declared.name)?.partitions.length;
        expect({ topic: declared.name, partitions }).toEqual({
          topic: declared.name,
          partitions: declared.partitions,
        });
      }
    } finally {
      await admin.disconnect();
    }
  });

  it('keep personal data from living forever: the inbound topic forgets in 7 days, the log never', () => {
    const byName = new Map(ALL_TOPICS.map((t) => [t.name, t]));
    expect(byName.get('contact.inbound.v1')?.configs['retention.ms']).toBe(String(7 * 24 * 3600 * 1000));
    expect(byName.get('marketing-preference-updated.v1')?.configs['retention.ms']).toBe('-1');
    expect(byName.get('contact-preferences.state.v1')?.configs['cleanup.policy']).toBe('compact');
  });

  it('declare min.insync.replicas 2 for every topic once it is replicated, and nothing on one broker', () => {
    expect(REPLICATED_TOPIC_CONFIGS).toEqual({ 'min.insync.replicas': '2' });
    for (const topic of ALL_TOPICS) {
      expect({ topic: topic.name, ...topicConfigs(topic, 3) }).toMatchObject({
        topic: topic.name,
        'min.insync.replicas': '2',
      });
      expect(topicConfigs(topic, 1)).toEqual(topic.configs);
    }
  });

  it('on the single-broker stack: one replica each, nothing to warn about', async () => {
    await ensureTopics(kafka, ALL_TOPICS);
    const durability = await describeTopicDurability(
      kafka,
      ALL_TOPICS.map((t) => t.name),
    );
    expect(durability.map((d) => d.replicas)).toEqual(ALL_TOPICS.map(() => 1));
    expect(weakDurabilityWarnings(durability)).toEqual([]);
  });

  it("reads a topic's min.insync.replicas from the broker", async () => {
    const strict = { ...TOPICS.ingestionDeadLetter, name: uniqueName('min-isr'), configs: {} };
    const plain = { ...TOPICS.ingestionDeadLetter, name: uniqueName('no-min-isr'), configs: {} };
    await ensureTopics(kafka, [{ ...strict, configs: { 'min.insync.replicas': '2' } }, plain]);
    expect(await describeTopicDurability(kafka, [strict.name, plain.name])).toEqual([
      { topic: strict.name, replicas: 1, minInsyncReplicas: 2 },
      { topic: plain.name, replicas: 1, minInsyncReplicas: 1 },
    ]);
  });

  it('warns about a replicated topic whose acknowledged writes could live on its leader alone', () => {
    expect(
      weakDurabilityWarnings([
        { topic: 'weak', replicas: 3, minInsyncReplicas: 1 },
        { topic: 'strong', replicas: 3, minInsyncReplicas: 2 },
        { topic: 'single', replicas: 1, minInsyncReplicas: 1 },
      ]),
    ).toEqual([
      'topic weak has 3 replicas but min.insync.replicas=1: a write acknowledged with acks=all can live on the leader alone and be lost with it; set min.insync.replicas=2 on the topic (docs/operations.md, Topics)',
    ]);
  });
});
