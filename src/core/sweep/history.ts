import type { Assignment } from './space';

/** Where a trial stands. `interrupted`: its process died; a resumed sweep runs it again. */
export type TrialState = 'running' | 'completed' | 'pruned' | 'failed' | 'interrupted';

/**
 * What samplers and pruners know of a trial. `loss` is the objective made "lower is better"
 * (negated when the objective is maximized); `curve[e - 1]` is the intermediate loss after
 * epoch e, the same way round.
 */
export interface ObservedTrial {
  number: number;
  state: TrialState;
  params: Assignment;
  loss?: number;
  curve: number[];
}

/** Turns a score into a loss: lower is better whichever way the objective points. */
export function toLoss(value: number, direction: 'maximize' | 'minimize'): number {
  return direction === 'maximize' ? -value : value;
}
