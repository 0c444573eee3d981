import { decide } from './decide';
import { evolve } from './evolve';
import { emptyIdentityView } from './view';

/**
 * The emmett-style triple. Note decide's output is richer than evolve's input: only the
 * publish_identity decisions are events of this decider (see evolveAll); preference events and
 * re-emits belong to the preference log.
 */
export const identityDecider = { decide, evolve, initialState: emptyIdentityView } as const;
