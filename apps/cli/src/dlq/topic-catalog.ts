import { ConfigResourceTypes, type Admin, type Kafka } from 'kafkajs';

export interface TopicFacts {
  readonly exists: boolean;
  /** cleanup.policy includes compact: the newest record per key is what the topic keeps. */
  readonly compacted: boolean;
}

/** What a replay needs to know about a topic before sending to it. */
export interface TopicCatalog {
  facts(topic: string): Promise<TopicFacts>;
}

/**
 * Topic facts from the broker, asked once per topic. The producer never auto-creates topics, so a
 * missing one would only fail after KafkaJS's retries; knowing first turns it into a skip with a reason.
 */
export class BrokerTopicCatalog implements TopicCatalog {
  private readonly known = new Map<string, Promise<TopicFacts>>();
  private names: Promise<Set<string>> | null = null;

  private constructor(private readonly admin: Admin) {}

  static async open(kafka: Kafka): Promise<BrokerTopicCatalog> {
    const admin = kafka.admin();
    await admin.connect();
    return new BrokerTopicCatalog(admin);
  }

  facts(topic: string): Promise<TopicFacts> {
    let facts = this.known.get(topic);
    if (facts === undefined) {
      facts = this.ask(topic);
      this.known.set(topic, facts);
    }
    return facts;
  }

  close(): Promise<void> {
    return this.admin.disconnect();
  }

  private async ask(topic: string): Promise<TopicFacts> {
    this.names ??= this.admin.listTopics().then((names) => new Set(names));
    if (!(await this.names).has(topic)) return { exists: false, compacted: false };
    const { resources } = await this.admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }],
    });
    const policy = resources[0]?.configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue;
    return { exists: true, compacted: (policy ?? '').includes('compact') };
  }
}
