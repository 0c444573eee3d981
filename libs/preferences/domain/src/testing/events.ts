import type { MarketingPreferenceUpdated } from '@optstream/contracts';

/** Spec builder: a valid event with overridable fields; the defaults are deliberately boring. */
export const preferenceEvent = (
  overrides: Partial<MarketingPreferenceUpdated> = {},
): MarketingPreferenceUpdated => {
  const eventId = overrides.eventId ?? 'evt-1';
  return {
    eventId,
    externalId: 'contact-1',
    channel: 'email',
    newStatus: 'subscribed',
    sourceOfChange: 'Signup Form',
    source: { system: 'optstream_api', providerEventRef: `ref-${eventId}` },
    occurredAt: 1_000,
    recordedAt: 1_500,
    causationId: `cause-${eventId}`,
    ...overrides,
  };
};
