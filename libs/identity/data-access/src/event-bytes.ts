import { Type, type Schema } from 'avsc';
import { SCHEMAS, type IdentityEvent, type MarketingPreferenceUpdated } from '@optstream/contracts';

/*
 * Outbox encoding: plain Avro (no registry framing) of the very schemas the topics use, so stored
 * outputs round-trip losslessly (sealed bytes included) and the registry is not needed to read them.
 */
const identityType = Type.forSchema(SCHEMAS['identity.v1'] as unknown as Schema);
const preferenceType = Type.forSchema(SCHEMAS['marketing-preference-updated.v1'] as unknown as Schema);

export const encodeIdentityEvent = (event: IdentityEvent): Buffer => identityType.toBuffer(event);
export const decodeIdentityEvent = (bytes: Buffer): IdentityEvent => plain(identityType.fromBuffer(bytes));

export const encodePreferenceEvent = (event: MarketingPreferenceUpdated): Buffer =>
  preferenceType.toBuffer(event);
export const decodePreferenceEvent = (bytes: Buffer): MarketingPreferenceUpdated =>
  plain(preferenceType.fromBuffer(bytes));

// avsc decodes records as instances of generated classes; spread them into plain objects so they
// compare and serialize like the events the resolver built.
const plain = <T>(value: T): T => {
  if (Buffer.isBuffer(value) || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)])) as T;
};
