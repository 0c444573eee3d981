import { PreferencesReadModel1767225600000 } from './1767225600000-preferences-read-model';

/** In order; reviewed artefacts, applied by `openPreferencesDatabase` (never `synchronize`). */
export const PREFERENCES_MIGRATIONS = [PreferencesReadModel1767225600000];
