import { randomBytes, randomUUID } from 'node:crypto';
import type { ContactInbound } from '@optstream/contracts';

export const OCCURRED_AT = 1_767_225_000_000;

export const uniqueEmail = (): string => `person-${randomBytes(6).toString('hex')}@example.com`;

const base = (identifiers: Partial<ContactInbound['identifiers']>, occurredAt: number) => ({
  eventId: randomUUID(),
  source: { system: 'optstream_api' as const, providerEventRef: `ref-${randomUUID()}` },
  occurredAt,
  receivedAt: occurredAt + 5,
  identifiers: { externalId: null, email: null, phone: null, anonymousId: null, ...identifiers },
  preferenceChange: null,
  identify: null,
  pushPermissionChange: null,
});

export const emailOptOut = (email: string, occurredAt = OCCURRED_AT): ContactInbound => ({
  ...base({ email }, occurredAt),
  kind: 'preference_change',
  preferenceChange: { channel: 'email', newStatus: 'unsubscribed', sourceOfChange: 'Email Unsubscribe Link' },
});

export const identify = (
  externalId: string,
  email: string,
  occurredAt = OCCURRED_AT + 1_000,
): ContactInbound => ({
  ...base({ externalId, email }, occurredAt),
  kind: 'identify',
  identify: { traitsJson: '{}' },
});

/** A consent fact with no usable identifier: the resolver must dead-letter it. */
export const anonymousOptOut = (): ContactInbound => ({
  ...base({ email: 'anonymous' }, OCCURRED_AT),
  kind: 'preference_change',
  preferenceChange: { channel: 'email', newStatus: 'unsubscribed', sourceOfChange: 'Email Unsubscribe Link' },
});
