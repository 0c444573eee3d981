import { IdentityGraph1767225600000 } from './1767225600000-identity-graph';

/** In order; reviewed artefacts, applied by `openIdentityDatabase` (never `synchronize`). */
export const IDENTITY_MIGRATIONS = [IdentityGraph1767225600000];
