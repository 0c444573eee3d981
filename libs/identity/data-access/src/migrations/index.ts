import { IdentityGraph1767225600000 } from './1767225600000-identity-graph';
import { ErasedIdentifiers1767398400000 } from './1767398400000-erased-identifiers';
import { EmittedPreferenceTopics1767484800000 } from './1767484800000-emitted-preference-topics';

/** In order; reviewed artefacts, applied by `openIdentityDatabase` (never `synchronize`). */
export const IDENTITY_MIGRATIONS = [
  IdentityGraph1767225600000,
  ErasedIdentifiers1767398400000,
  EmittedPreferenceTopics1767484800000,
];
