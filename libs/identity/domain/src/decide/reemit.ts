import type { Channel } from '@optstream/contracts';
import { ID_SUFFIX, type DeriveId } from '../ids';
import type { ReemitPreferences } from './decision';

/**
 * Id of the preference event re-emitted for `decision.to` on `channel` (and `topic`; null: the whole
 * channel): derived from the merge event's id, which is itself derived from the inbound fact, so a
 * replayed merge re-emits the same ids.
 */
export const reemittedEventId = (
  deriveId: DeriveId,
  decision: ReemitPreferences,
  channel: Channel,
  topic: string | null = null,
): string => deriveId(decision.causationId, ID_SUFFIX.reemit(channel, topic));
