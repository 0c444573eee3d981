import type { MarketingPreferenceUpdated } from '@optstream/contracts';
import type { ContactState } from './contact-state';
import { foldEvents, type FoldResult, type InHistory } from './fold';

/**
 * A provisional contact merged into a survivor: the identity resolver re-emits the provisional
 * contact's preference events under the survivor's externalId (new eventIds, ORIGINAL occurredAt).
 * No merge-specific rule is needed: latest-wins per channel already decides, so a newer choice on the
 * survivor keeps winning and a newer opt-out from the provisional side takes over. This function
 * exists to name that decision; it is `foldEvents` starting from the survivor. A replayed merge
 * re-emits the same derived eventIds; `inHistory` (the survivor's history) makes them duplicates.
 */
export const absorbReemitted = (
  survivor: ContactState | null,
  reemitted: Iterable<MarketingPreferenceUpdated>,
  inHistory?: InHistory,
): FoldResult => foldEvents(reemitted, survivor, inHistory);
