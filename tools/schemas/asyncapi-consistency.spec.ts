import { compareAsyncApi, type DeclaredTopic } from './asyncapi-consistency';

const topic: DeclaredTopic = {
  name: 'orders.v1',
  valueSchema: 'order.v1',
  key: 'orderId',
  partitions: 6,
  configs: { 'cleanup.policy': 'delete', 'retention.ms': '-1' },
  producers: ['shop'],
  consumers: ['billing', 'cli (audit)'],
};

/** A document that matches `topic`; tests break one thing at a time. */
function documentFor(overrides: { channel?: object; message?: object; operations?: object } = {}) {
  return {
    channels: {
      orders: {
        address: 'orders.v1',
        messages: { Order: { $ref: '#/components/messages/Order' } },
        bindings: {
          kafka: { partitions: 6, topicConfiguration: { 'cleanup.policy': ['delete'], 'retention.ms': -1 } },
        },
        ...overrides.channel,
      },
    },
    operations: overrides.operations ?? {
      sendOrders: { action: 'send', channel: { $ref: '#/channels/orders' }, 'x-services': ['shop'] },
      receiveOrders: {
        action: 'receive',
        channel: { $ref: '#/channels/orders' },
        'x-services': ['billing', 'cli (audit)'],
      },
    },
    components: {
      messages: {
        Order: {
          bindings: { kafka: { key: { type: 'string', description: 'orderId' } } },
          payload: {
            schemaFormat: 'application/vnd.apache.avro;version=1.9.0',
            schema: { $ref: '../schemas/order.v1.avsc' },
          },
          ...overrides.message,
        },
      },
    },
  };
}

describe('compareAsyncApi', () => {
  it('finds nothing when the document matches topics and schemas', () => {
    expect(compareAsyncApi(documentFor(), [topic], ['order.v1'])).toEqual([]);
  });

  it('reports a topic without a channel and a channel without a topic', () => {
    const doc = documentFor({ channel: { address: 'orders.v2' } });
    expect(compareAsyncApi(doc, [topic], ['order.v1'])).toEqual([
      'topic orders.v1: no channel with this address',
      'channel orders (address orders.v2): not a topic in topics.ts',
    ]);
  });

  it('reports partitions and each differing config key', () => {
    const doc = documentFor({
      channel: {
        bindings: {
          kafka: { partitions: 3, topicConfiguration: { 'cleanup.policy': ['compact'], 'segment.ms': 1 } },
        },
      },
    });
    expect(compareAsyncApi(doc, [topic], ['order.v1'])).toEqual([
      'topic orders.v1 (channel orders): partitions 3, topics.ts says 6',
      'topic orders.v1 (channel orders): config cleanup.policy is compact, topics.ts says delete',
      'topic orders.v1 (channel orders): config retention.ms is (absent), topics.ts says -1',
      'topic orders.v1 (channel orders): config segment.ms is 1, topics.ts says (absent)',
    ]);
  });

  it('reports a different value schema, an unreferenced schema file and a missing one', () => {
    const doc = documentFor({ message: { payload: { schema: { $ref: '../schemas/other.v1.avsc' } } } });
    expect(compareAsyncApi(doc, [topic], ['order.v1'])).toEqual([
      'topic orders.v1 (channel orders): messages reference [other.v1], topics.ts says order.v1',
      "schemas/order.v1.avsc: not referenced by any channel's messages",
      'schemas/other.v1.avsc: referenced but does not exist',
    ]);
  });

  it('reports a different message key', () => {
    const doc = documentFor({ message: { bindings: { kafka: { key: { description: 'customer email' } } } } });
    expect(compareAsyncApi(doc, [topic], ['order.v1'])).toEqual([
      'topic orders.v1 (channel orders): message key ["customer email"], topics.ts says "orderId"',
    ]);
  });

  it('reports producers and consumers that differ from the send and receive operations', () => {
    const doc = documentFor({
      operations: {
        sendOrders: { action: 'send', channel: { $ref: '#/channels/orders' }, 'x-services': ['shop', 'cli'] },
      },
    });
    expect(compareAsyncApi(doc, [topic], ['order.v1'])).toEqual([
      'topic orders.v1 (channel orders): send operations name [shop, cli], topics.ts producers [shop]',
      'topic orders.v1 (channel orders): receive operations name [], topics.ts consumers [billing, cli (audit)]',
    ]);
  });
});
