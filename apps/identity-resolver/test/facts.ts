import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Channel, ContactInbound, SubscriptionStatus } from '@optstream/contracts';

export const OCCURRED_AT = 1_767_225_000_000;

export const uniqueEmail = (): string => `person-${randomBytes(6).toString('hex')}@example.com`;

/** A valid-looking E.164 number (US, 555 exchange), unique enough per test run. */
export const uniquePhone = (): string =>
  `+1415555${String(randomInt(0, 10_000)).padStart(4, '0')}${randomInt(0, 10)}`;

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

/** A consent change on `channel`, naming the contact by whatever identifiers are given. */
export const consent = (
  identifiers: Partial<ContactInbound['identifiers']>,
  channel: Exclude<Channel, 'unknown'>,
  newStatus: Exclude<SubscriptionStatus, 'unknown'>,
  occurredAt = OCCURRED_AT + 2_000,
): ContactInbound => ({
  ...base(identifiers, occurredAt),
  kind: 'preference_change',
  preferenceChange: { channel, newStatus, sourceOfChange: 'Test' },
});

export const identify = (
  externalId: string,
  email: string,
  occurredAt = OCCURRED_AT + 1_000,
  phone: string | null = null,
): ContactInbound => ({
  ...base({ externalId, email, phone }, occurredAt),
  kind: 'identify',
  identify: { traitsJson: '{}' },
});

/** A consent fact with no usable identifier: the resolver must dead-letter it. */
export const anonymousOptOut = (): ContactInbound => ({
  ...base({ email: 'anonymous' }, OCCURRED_AT),
  kind: 'preference_change',
  preferenceChange: { channel: 'email', newStatus: 'unsubscribed', sourceOfChange: 'Email Unsubscribe Link' },
});
