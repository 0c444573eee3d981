import { DeadLetter } from '@optstream/contracts';
import { FIXTURES, readTopic, uniqueName, waitFor } from '@optstream/testing';
import { EventConsumer, ProcessingError } from '../src';
import { Harness } from './harness';

jest.setTimeout(60_000);

const FAST_RETRY = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 };

describe('poison messages and retries', () => {
  const h = new Harness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  async function deadLetters(topic: string, count: number): Promise<DeadLetter[]> {
    const messages = await readTopic(h.config.KAFKA_BROKERS, topic, { count });
    return Promise.all(messages.map((m) => h.codec.decode<DeadLetter>(m.message.value)));
  }

  it('moves an undecodable message to the dead-letter topic with its original bytes, and keeps going', async () => {
    const { topic, deadLetterTopic } = await h.topic('marketing-preference-updated.v1');
    const garbage = Buffer.from('{"not":"avro"}');
    await h.publisher.publishRaw(topic, [
      { key: 'poison', value: garbage, headers: { traceparent: 'tp-1' } },
    ]);
    const good = FIXTURES['marketing-preference-updated.v1'];
    await h.publisher.publish(topic, [{ key: 'good', value: good, eventId: 'e-good' }]);

    const handled: unknown[] = [];
    const consumer = new EventConsumer(h.kafka, h.codec, h.publisher, {
      service: 'poison-test',
      groupId: uniqueName('poison'),
      topics: [topic],
      deadLetterTopic,
      retry: FAST_RETRY,
    });
    h.onCleanup(() => consumer.stop());
    await consumer.start({ each: async (event) => void handled.push(event.value) });

    await waitFor(() => handled.length === 1, { description: 'the good event after the poison one' });
    expect(handled[0]).toEqual(good);
    const [letter] = await deadLetters(deadLetterTopic, 1);
    expect(letter?.originalValue).toEqual(garbage);
    expect(letter?.originalKey?.toString()).toBe('poison');
    expect(letter?.originalTopic).toBe(topic);
    expect(letter?.errorCode).toBe('DECODE_FAILED');
    expect(letter?.service).toBe('poison-test');
    expect(letter?.originalHeaders.map((x) => [x.key, x.value?.toString()])).toContainEqual([
      'traceparent',
      'tp-1',
    ]);
  });

  it('retries retriable failures and dead-letters the rest after one attempt', async () => {
    const { topic, deadLetterTopic } = await h.topic('marketing-preference-updated.v1');
    const base = FIXTURES['marketing-preference-updated.v1'];
    await h.publisher.publish(topic, [
      { key: 'a', value: { ...base, eventId: 'flaky' }, eventId: 'flaky' },
      { key: 'b', value: { ...base, eventId: 'broken' }, eventId: 'broken' },
      { key: 'c', value: { ...base, eventId: 'fine' }, eventId: 'fine' },
    ]);
    const attempts = new Map<string, number>();
    const done: string[] = [];
    const consumer = new EventConsumer(h.kafka, h.codec, h.publisher, {
      service: 'retry-test',
      groupId: uniqueName('retry'),
      topics: [topic],
      deadLetterTopic,
      retry: FAST_RETRY,
    });
    h.onCleanup(() => consumer.stop());
    await consumer.start({
      each: async (event) => {
        const id = (event.value as { eventId: string }).eventId;
        const n = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, n);
        if (id === 'flaky' && n < 3) throw new ProcessingError('DB_BUSY', 'try again', true);
        if (id === 'broken') throw new ProcessingError('INVALID_STATE', 'cannot apply', false);
        done.push(id);
      },
    });
    await waitFor(() => done.length === 2, { description: 'flaky and fine handled' });
    expect(done).toEqual(['flaky', 'fine']);
    expect(attempts.get('flaky')).toBe(3);
    expect(attempts.get('broken')).toBe(1);
    const [letter] = await deadLetters(deadLetterTopic, 1);
    expect(letter?.errorCode).toBe('INVALID_STATE');
    expect(letter?.attempts).toBe(1);
    expect(letter?.originalKey?.toString()).toBe('b');
  });

  it('in batch mode, a poison event is dead-lettered alone and its neighbours are handled', async () => {
    const { topic, deadLetterTopic } = await h.topic('marketing-preference-updated.v1');
    const base = FIXTURES['marketing-preference-updated.v1'];
    const ids = ['e1', 'e2', 'poison', 'e4'];
    await h.publisher.publish(
      topic,
      ids.map((id) => ({ key: id, value: { ...base, eventId: id }, eventId: id })),
    );
    const handled: string[] = [];
    const consumer = new EventConsumer(h.kafka, h.codec, h.publisher, {
      service: 'batch-test',
      groupId: uniqueName('batch'),
      topics: [topic],
      deadLetterTopic,
      retry: FAST_RETRY,
    });
    h.onCleanup(() => consumer.stop());
    await consumer.start({
      batch: async (events) => {
        const batchIds = events.map((e) => (e.value as { eventId: string }).eventId);
        if (batchIds.includes('poison')) throw new ProcessingError('INVALID_STATE', 'poison in batch', false);
        handled.push(...batchIds);
      },
    });
    await waitFor(() => handled.length === 3, { description: 'three good events' });
    expect(handled).toEqual(['e1', 'e2', 'e4']);
    const [letter] = await deadLetters(deadLetterTopic, 1);
    expect(letter?.originalKey?.toString()).toBe('poison');
  });

  it('commits what it handled on stop: a new member of the group sees only new events', async () => {
    const { topic, deadLetterTopic } = await h.topic('marketing-preference-updated.v1');
    const base = FIXTURES['marketing-preference-updated.v1'];
    const groupId = uniqueName('shutdown');
    const first = Array.from({ length: 5 }, (_, i) => `old-${i}`);
    await h.publisher.publish(
      topic,
      first.map((id) => ({ key: id, value: { ...base, eventId: id }, eventId: id })),
    );
    const seenFirst: string[] = [];
    const options = {
      service: 'shutdown-test',
      groupId,
      topics: [topic],
      deadLetterTopic,
      retry: FAST_RETRY,
    };
    const one = new EventConsumer(h.kafka, h.codec, h.publisher, options);
    await one.start({ each: async (e) => void seenFirst.push((e.value as { eventId: string }).eventId) });
    await waitFor(() => seenFirst.length === 5, { description: 'first five' });
    await one.stop();

    const next = Array.from({ length: 3 }, (_, i) => `new-${i}`);
    await h.publisher.publish(
      topic,
      next.map((id) => ({ key: id, value: { ...base, eventId: id }, eventId: id })),
    );
    const seenSecond: string[] = [];
    const two = new EventConsumer(h.kafka, h.codec, h.publisher, options);
    h.onCleanup(() => two.stop());
    await two.start({ each: async (e) => void seenSecond.push((e.value as { eventId: string }).eventId) });
    await waitFor(() => seenSecond.length >= 3, { description: 'three new events' });
    expect(seenSecond).toEqual(next);
  });
});
