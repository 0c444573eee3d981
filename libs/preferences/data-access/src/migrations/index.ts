import { PreferencesReadModel1767225600000 } from './1767225600000-preferences-read-model';
import { OutboxTraceparent1767484800000 } from './1767484800000-outbox-traceparent';
import { ChannelConsent1767571200000 } from './1767571200000-channel-consent';

/** In order; reviewed artefacts, applied by `openPreferencesDatabase` (never `synchronize`). */
export const PREFERENCES_MIGRATIONS = [
  PreferencesReadModel1767225600000,
  OutboxTraceparent1767484800000,
  ChannelConsent1767571200000,
];
