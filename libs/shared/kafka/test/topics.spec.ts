import { ALL_TOPICS } from '@optstream/contracts';
import { createKafkaClient, describeTopicConfigs, ensureTopics } from '../src';
import { testKafkaConfig } from '@optstream/testing';

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
});
