import type { IHeaders, KafkaMessage } from 'kafkajs';
import { deadLetterFromMessage } from './dead-letter';

const message = (headers: IHeaders): KafkaMessage => ({
  key: Buffer.from('k'),
  value: Buffer.from('v'),
  timestamp: '0',
  attributes: 0,
  offset: '7',
  headers,
});

describe('deadLetterFromMessage', () => {
  it('keeps every original header: strings as bytes, repeated values each, a valueless one as null', () => {
    const letter = deadLetterFromMessage('svc', {
      topic: 't',
      partition: 1,
      message: message({
        'optstream-event-id': Buffer.from('e1'),
        text: 'plain',
        repeated: [Buffer.from('a'), 'b'],
        empty: null as unknown as Buffer, // what a header sent without a value decodes to
      }),
      error: new Error('boom'),
      attempts: 2,
      firstFailedAt: 1,
      lastFailedAt: 2,
    });
    expect(letter.originalHeaders).toEqual([
      { key: 'optstream-event-id', value: Buffer.from('e1') },
      { key: 'text', value: Buffer.from('plain') },
      { key: 'repeated', value: Buffer.from('a') },
      { key: 'repeated', value: Buffer.from('b') },
      { key: 'empty', value: null },
    ]);
    expect(letter).toMatchObject({
      service: 'svc',
      originalTopic: 't',
      originalPartition: 1,
      originalOffset: '7',
      originalKey: Buffer.from('k'),
      originalValue: Buffer.from('v'),
      attempts: 2,
    });
  });
});
