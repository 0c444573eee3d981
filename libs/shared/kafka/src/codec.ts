import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type { KafkaConfig } from '@optstream/config';
import { ProcessingError, errorMessage } from './errors';

/**
 * Avro serde through a Confluent-compatible registry (Confluent wire format: magic byte 0, 4-byte schema
 * id, Avro body). Subjects follow TopicNameStrategy: `<topic>-value`. Schema ids are cached per topic.
 */
export class AvroCodec {
  private readonly ids = new Map<string, number>();

  constructor(private readonly registry: SchemaRegistry) {}

  static fromConfig(config: KafkaConfig): AvroCodec {
    const auth =
      config.SCHEMA_REGISTRY_USERNAME !== undefined
        ? { username: config.SCHEMA_REGISTRY_USERNAME, password: config.SCHEMA_REGISTRY_PASSWORD ?? '' }
        : undefined;
    // Logical types are not registered: timestamp-millis stays an epoch-millis number, as the generated types say.
    return new AvroCodec(new SchemaRegistry({ host: config.SCHEMA_REGISTRY_URL, ...(auth ? { auth } : {}) }));
  }

  /**
   * Registers the schema under the topic's subject (BACKWARD, the same level as the registry's global
   * rule, which sidesteps Apicurio's per-subject config quirk) and remembers its id.
   */
  async register(topic: string, schema: object): Promise<number> {
    const { id } = await this.registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
      { subject: subjectFor(topic), compatibility: COMPATIBILITY.BACKWARD },
    );
    this.ids.set(topic, id);
    return id;
  }

  async encode(topic: string, value: unknown): Promise<Buffer> {
    const id = this.ids.get(topic);
    if (id === undefined)
      throw new Error(`no schema registered for topic ${topic}; call register() at start-up`);
    return this.registry.encode(id, value);
  }

  /** Throws a non-retriable DECODE_FAILED for bytes that are not a readable Confluent-framed Avro record. */
  async decode<T>(buffer: Buffer | null): Promise<T> {
    if (buffer === null || buffer.length < 5 || buffer[0] !== 0) {
      throw new ProcessingError(
        'DECODE_FAILED',
        'not a Confluent-framed Avro message (missing magic byte 0)',
        false,
      );
    }
    try {
      return (await this.registry.decode(buffer)) as T;
    } catch (error) {
      const retriable = isRegistryUnavailable(error);
      throw new ProcessingError(
        retriable ? 'REGISTRY_UNAVAILABLE' : 'DECODE_FAILED',
        `could not decode Avro message: ${errorMessage(error)}`,
        retriable,
        { cause: error },
      );
    }
  }
}

export function subjectFor(topic: string): string {
  return `${topic}-value`;
}

function isRegistryUnavailable(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return /ECONNREFUSED|ETIMEDOUT|ECONNRESET|socket hang up|50[234]/.test(message);
}
