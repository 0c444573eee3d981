import { Message, Producer, TopicMessages } from 'kafkajs';

interface Pending {
  readonly topic: string;
  readonly messages: readonly Message[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for an idempotent producer. With acks=all and one request in flight (needed for order),
 * each send costs a full broker round trip, so concurrent callers would queue behind each other one
 * request at a time. Instead, while one send is in flight, later calls wait together and go out as ONE
 * request when it returns. Idle: no added latency. Under load: one round trip serves many callers.
 * Call order is kept, and each caller's promise settles with the request that carried its messages.
 */
export class SendCoalescer {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly producer: Producer,
    private readonly maxMessagesPerRequest = 2_000,
  ) {}

  send(topic: string, messages: readonly Message[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ topic, messages, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const group = this.takeGroup();
        try {
          await this.producer.sendBatch({ acks: -1, topicMessages: byTopic(group) });
          for (const pending of group) pending.resolve();
        } catch (error) {
          for (const pending of group) pending.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private takeGroup(): Pending[] {
    const group: Pending[] = [];
    let count = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (group.length > 0 && count + next.messages.length > this.maxMessagesPerRequest) break;
      group.push(next);
      count += next.messages.length;
      this.queue.shift();
    }
    return group;
  }
}

/** Topic runs in first-seen order; within a topic, messages keep call order (so per-key order holds). */
function byTopic(group: readonly Pending[]): TopicMessages[] {
  const topics = new Map<string, Message[]>();
  for (const pending of group) {
    const list = topics.get(pending.topic) ?? [];
    list.push(...pending.messages);
    topics.set(pending.topic, list);
  }
  return [...topics.entries()].map(([topic, messages]) => ({ topic, messages }));
}
