import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SCHEMAS, TOPICS } from '@optstream/contracts';
import { erasureMessage } from '@optstream/erasure-requests';
import { AvroCodec, createKafkaClient, EventPublisher } from '@optstream/kafka';
import { loadBackfillConfig } from '../config/command-configs';
import { UsageError } from '../usage-error';

export const ERASE_USAGE = `usage: optstream erase (--contact <externalId> | --file <ids.txt>)

Requests GDPR erasure of each contact (one externalId per line in the file; blank lines and # comments
skipped). Each request goes to contact.inbound.v1; the identity resolver destroys the contact's data key,
the read model marks it erased, the connectors delete it at the platforms that can. Each run is a new
request: repeating is harmless, and a contact that did not exist yet at an earlier request is erased now.
Needs KAFKA_BROKERS, SCHEMA_REGISTRY_URL and OPTSTREAM_HASH_KEY (the gateway's).`;

export function parseEraseArgs(argv: readonly string[]): string[] {
  const at = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const contact = at('--contact');
  const file = at('--file');
  if ((contact === undefined) === (file === undefined))
    throw new UsageError('give exactly one of --contact or --file');
  if (contact !== undefined) return [contact];
  return readFileSync(file as string, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
}

export async function runErase(externalIds: readonly string[], stderr: NodeJS.WritableStream): Promise<void> {
  const config = loadBackfillConfig(process.env);
  const topic = config.INBOUND_TOPIC;
  const codec = AvroCodec.fromConfig(config);
  await codec.register(topic, SCHEMAS[TOPICS.contactInbound.valueSchema]);
  const publisher = new EventPublisher(createKafkaClient(config, 'optstream-erase'), codec, {
    [topic]: TOPICS.contactInbound.valueSchema,
  });
  await publisher.connect();
  try {
    const hashKey = Buffer.from(config.OPTSTREAM_HASH_KEY, 'base64');
    for (let i = 0; i < externalIds.length; i += 500) {
      const slice = externalIds.slice(i, i + 500);
      await publisher.publish(
        topic,
        slice.map((externalId) =>
          erasureMessage(hashKey, { externalId, requestedAt: Date.now(), requestId: randomUUID() }),
        ),
      );
      stderr.write(`erase: ${Math.min(i + 500, externalIds.length)}/${externalIds.length} requested\n`);
    }
  } finally {
    await publisher.disconnect();
  }
}
