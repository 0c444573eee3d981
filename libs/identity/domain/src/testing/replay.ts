import { decide, type Decision } from '../decide';
import { evolveAll } from '../evolve';
import { emptyIdentityView, type IdentityView } from '../view';
import { command, type FactSpec } from './builders';

export interface Step {
  readonly decisions: readonly Decision[];
  readonly view: IdentityView;
}

/** What the resolver does per fact: decide against the current view, then fold its identity events. */
export const replay = (facts: readonly FactSpec[], initial: IdentityView = emptyIdentityView()): Step[] => {
  const steps: Step[] = [];
  let view = initial;
  for (const spec of facts) {
    const decisions = decide(command(spec), view);
    view = evolveAll(view, decisions);
    steps.push({ decisions, view });
  }
  return steps;
};

export const finalView = (steps: readonly Step[]): IdentityView => steps.at(-1)?.view ?? emptyIdentityView();
