import { IdentityGraph1767225600000 } from './1767225600000-identity-graph';
import { ErasedIdentifiers1767398400000 } from './1767398400000-erased-identifiers';

/** In order; reviewed artefacts, applied by `openIdentityDatabase` (never `synchronize`). */
export const IDENTITY_MIGRATIONS = [IdentityGraph1767225600000, ErasedIdentifiers1767398400000];
