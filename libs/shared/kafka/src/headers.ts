import { IHeaders } from 'kafkajs';

/** Kafka header names optstream writes on every event. */
export const HEADER = {
  traceparent: 'traceparent',
  eventId: 'optstream-event-id',
  schema: 'optstream-schema',
} as const;

export function headerString(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}
