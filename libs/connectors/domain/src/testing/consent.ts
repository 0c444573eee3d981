import type { ContactConsent } from '../consent';

/** A contact state for tests: version 1, no channels, unless overridden. */
export const consent = (overrides: Partial<ContactConsent> & { externalId: string }): ContactConsent => ({
  version: 1,
  channels: {},
  causationId: `cause-${overrides.externalId}`,
  ...overrides,
});
