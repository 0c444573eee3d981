import type { Decision } from '../decide/decision';
import type { IdentityView } from '../view';
import { evolve } from './evolve';

/** Folds the identity events among `decisions` into the view (what the projection will hold after publish). */
export const evolveAll = (view: IdentityView, decisions: readonly Decision[]): IdentityView =>
  decisions.reduce((state, d) => (d.type === 'publish_identity' ? evolve(state, d.event) : state), view);
