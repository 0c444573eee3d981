import { SchemaName, SCHEMAS } from '@optstream/contracts';
import { FIXTURES, uniqueName, waitFor } from '@optstream/testing';
import { ConsumedEvent, EventConsumer, HEADER, headerString, subjectFor } from '../src';
import { Harness } from './harness';

jest.setTimeout(60_000);

describe('Avro contracts round-trip through the real registry and broker', () => {
  const h = new Harness();
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  it.each(Object.keys(SCHEMAS) as SchemaName[])(
    '%s: produce → registered → consume → equal',
    async (schema) => {
      const { topic, deadLetterTopic } = await h.topic(schema);
      const fixture = FIXTURES[schema];
      await h.publisher.publish(topic, [
        { key: 'k-1', value: fixture, eventId: 'evt-1', traceparent: '00-abc-def-01' },
      ]);

      const subjects = (await (await fetch(`${h.config.SCHEMA_REGISTRY_URL}/subjects`)).json()) as string[];
      expect(subjects).toContain(subjectFor(topic));

      const received: ConsumedEvent<unknown>[] = [];
      const consumer = new EventConsumer(h.kafka, h.codec, h.publisher, {
        service: 'test',
        groupId: uniqueName('round-trip'),
        topics: [topic],
        deadLetterTopic,
      });
      h.onCleanup(() => consumer.stop());
      await consumer.start({ each: async (event) => void received.push(event) });
      const [event] = await waitFor(() => (received.length > 0 ? received : undefined), {
        description: `an event on ${topic}`,
      });

      expect(event?.value).toEqual(fixture);
      expect(event?.key?.toString()).toBe('k-1');
      expect(headerString(event?.headers, HEADER.eventId)).toBe('evt-1');
      expect(headerString(event?.headers, HEADER.traceparent)).toBe('00-abc-def-01');
    },
  );
});
