/**
 * One Kafka message exactly as the producer would send it. The value (and key) are already Avro-encoded
 * in the Confluent wire format, so draining replays the very bytes that were accepted: no re-encoding,
 * no schema lookups while Kafka is down.
 */
export interface SpoolRecord {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}
