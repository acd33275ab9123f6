import type { Combiner } from './combine';
import { outputWidth, type MemberOutputs } from './evaluate';
import {
  averageValidation,
  buildLibrary,
  defaultRankMetric,
  validationScorer,
  type ValidationScorer,
} from './library';
import type { EnsembleMethodModule, MemberNote, MethodContext, MethodResult } from './plan';
import { combineSplits } from './planned';

/**
 * Greedy ensemble selection (Caruana et al., 2004). From a library of trained members, one
 * member at a time is added, with replacement, choosing the one whose addition gives the best
 * validation score of the averaged ensemble; after `rounds` additions the best-scoring prefix
 * is kept and each member's weight is how often it was picked, divided by the prefix length.
 * The first pick is the best single member, so the kept ensemble scores at least as well.
 */
export const selection: EnsembleMethodModule = {
  members: ({ config }) => config.members.map((s) => ({ name: s.name, kind: s.model })),
  // The library's members are independent of each other (see buildLibrary).
  trainsAtOnce: true,
  run: runSelection,
};

/** One addition: which member, and the validation score of the ensemble after it. */
export interface SelectionStep {
  member: string;
  score: number;
}

async function runSelection(context: MethodContext): Promise<MethodResult> {
  const { config, data } = context;
  const settings = config.ensemble.selection;
  const library = await buildLibrary(context, {
    list: settings.runs,
    at: 'ensemble.selection.runs',
  });
  const metric = settings.metric ?? defaultRankMetric(data.validation);
  const scorer = validationScorer(config, data.validation, metric, 'ensemble.selection.metric');

  const steps = greedySteps(library, settings.rounds, scorer);
  const kept = bestPrefix(steps, scorer.better);
  const width = outputWidth(data.train);
  return selectionResult(library, { steps, kept, scorer }, width, config.ensemble.combine);
}

/** `rounds` greedy additions, with replacement; ties go to the member listed first. */
export function greedySteps(
  library: MemberOutputs[],
  rounds: number,
  scorer: { score(outputs: Float32Array): number; better(a: number, b: number): boolean },
): SelectionStep[] {
  const chosen: MemberOutputs[] = [];
  const steps: SelectionStep[] = [];

  for (let round = 0; round < rounds; round++) {
    let best: SelectionStep | undefined;
    let bestMember = library[0];
    for (const candidate of library) {
      const value = scorer.score(averageValidation([...chosen, candidate]));
      if (!best || scorer.better(value, best.score)) {
        best = { member: candidate.plan.name, score: value };
        bestMember = candidate;
      }
    }
    chosen.push(bestMember);
    steps.push(best as SelectionStep);
  }
  return steps;
}

/** Length of the prefix with the best score (the shortest, on ties). */
export function bestPrefix(
  steps: SelectionStep[],
  better: (a: number, b: number) => boolean,
): number {
  let best = 0;
  steps.forEach((step, i) => {
    if (better(step.score, steps[best].score)) best = i;
  });
  return best + 1;
}

function selectionResult(
  library: MemberOutputs[],
  { steps, kept, scorer }: { steps: SelectionStep[]; kept: number; scorer: ValidationScorer },
  width: number,
  rule: MethodContext['config']['ensemble']['combine'],
): MethodResult {
  const counts = new Map<string, number>();
  steps.slice(0, kept).forEach((s) => counts.set(s.member, (counts.get(s.member) ?? 0) + 1));
  const members = library.filter((m) => counts.has(m.plan.name));
  const weights = members.map((m) => (counts.get(m.plan.name) ?? 0) / kept);
  const average = rule === 'mean' || rule === 'median' ? 'mean' : 'soft-vote';
  const combiner: Combiner = { kind: 'rule', rule: average, width, weights };

  const notes: Record<string, MemberNote> = {};
  library.forEach((m) => {
    const count = counts.get(m.plan.name) ?? 0;
    const validationScore = scorer.score(averageValidation([m]));
    notes[m.plan.name] = { count, weight: count / kept, validationScore };
    if (count === 0) notes[m.plan.name].role = 'pruned';
  });
  return {
    members,
    others: library.filter((m) => !counts.has(m.plan.name)),
    combiner,
    notes,
    combined: combineSplits(combiner, members),
    details: { metric: scorer.metric, steps, kept },
  };
}
