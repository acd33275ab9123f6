import type { PruningConfig } from '../config/types';
import type { Dataset } from '../data/types';
import { headlineMetric } from '../metrics';
import { combine, type Combiner } from './combine';
import { outputWidth, score, type MemberOutputs } from './evaluate';
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
 * Ensemble pruning: from a library of trained members, keep `keep` of them, ordered by
 * validation score, by diversity, or by both; the kept members are averaged with equal
 * weights. The report's `methodDetails.curve` gives the validation and test score of the
 * first 1, 2, ... members of that order, so the size can be weighed against accuracy.
 */
export const pruning: EnsembleMethodModule = {
  members: ({ config }) => config.members.map((s) => ({ name: s.name, kind: s.model })),
  // The library's members are independent of each other (see buildLibrary).
  trainsAtOnce: true,
  run: runPruning,
};

/** One point of the size-against-accuracy curve. */
export interface PruningPoint {
  size: number;
  validation: number;
  test: number;
}

async function runPruning(context: MethodContext): Promise<MethodResult> {
  const { config, data } = context;
  const settings = config.ensemble.pruning;
  const library = await buildLibrary(context, { list: settings.runs, at: 'ensemble.pruning.runs' });
  const metric = settings.metric ?? defaultRankMetric(data.validation);
  const scorer = validationScorer(config, data.validation, metric, 'ensemble.pruning.metric');

  const scores = library.map((m) => scorer.score(averageValidation([m])));
  const order = pruningOrder(library, scores, scorer, settings.by);
  const curve = order.map((_, i) => curvePoint(order.slice(0, i + 1), data.test, scorer));
  const kept = order.slice(0, Math.min(settings.keep, order.length));
  const found = { kept, order, scores, curve, metric };
  return pruningResult(library, found, outputWidth(data.train), config.ensemble.combine);
}

/** The library in the order members would be kept. */
export function pruningOrder(
  library: MemberOutputs[],
  scores: number[],
  scorer: Pick<ValidationScorer, 'better'>,
  by: PruningConfig['by'],
): MemberOutputs[] {
  const byScore = library.map((_, i) => i).sort((a, b) => compareScores(scores, scorer, a, b));
  if (by === 'score') return byScore.map((i) => library[i]);

  const chosen = [byScore[0]];
  while (chosen.length < library.length) {
    const left = byScore.filter((i) => !chosen.includes(i));
    const spread = left.map((i) =>
      ambiguity(
        library[i],
        chosen.map((c) => library[c]),
      ),
    );
    const diversityRank = rankOf(left.map((_, j) => j).sort((a, b) => spread[b] - spread[a]));
    // `left` is in score order, so a candidate's position there is its score rank.
    const pick = left
      .map((i, j) => ({ i, cost: by === 'diversity' ? diversityRank[j] : j + diversityRank[j] }))
      .reduce((best, c) => (c.cost < best.cost ? c : best));
    chosen.push(pick.i);
  }
  return chosen.map((i) => library[i]);
}

/**
 * How far a member's validation outputs are from those already kept: the mean squared
 * difference, averaged over the kept members (the ambiguity of Krogh and Vedelsby).
 */
export function ambiguity(candidate: MemberOutputs, kept: MemberOutputs[]): number {
  const mine = candidate.validation ?? new Float32Array(0);
  const distances = kept.map((k) => {
    const theirs = k.validation ?? new Float32Array(0);
    return mine.reduce((s, v, i) => s + (v - theirs[i]) ** 2, 0) / Math.max(mine.length, 1);
  });
  return distances.reduce((s, d) => s + d, 0) / Math.max(distances.length, 1);
}

function compareScores(
  scores: number[],
  scorer: Pick<ValidationScorer, 'better'>,
  a: number,
  b: number,
): number {
  if (scorer.better(scores[a], scores[b])) return -1;
  return scorer.better(scores[b], scores[a]) ? 1 : a - b;
}

/** rank[j] of each position j, given positions sorted best first. */
function rankOf(sorted: number[]): number[] {
  const rank = new Array<number>(sorted.length);
  sorted.forEach((position, r) => (rank[position] = r));
  return rank;
}

function curvePoint(
  members: MemberOutputs[],
  test: Dataset,
  scorer: ValidationScorer,
): PruningPoint {
  const testOutputs = combine(
    'mean',
    members.map((m) => m.test),
    1,
  );
  const headline = headlineMetric(test.task);
  return {
    size: members.length,
    validation: scorer.score(averageValidation(members)),
    test: score(test, testOutputs).metrics[headline],
  };
}

function pruningResult(
  library: MemberOutputs[],
  found: {
    kept: MemberOutputs[];
    order: MemberOutputs[];
    scores: number[];
    curve: PruningPoint[];
    metric: string;
  },
  width: number,
  rule: MethodContext['config']['ensemble']['combine'],
): MethodResult {
  const { kept } = found;
  const weights = kept.map(() => 1 / kept.length);
  const average = rule === 'mean' || rule === 'median' ? 'mean' : 'soft-vote';
  const combiner: Combiner = { kind: 'rule', rule: average, width, weights };
  const notes: Record<string, MemberNote> = {};
  library.forEach((m, i) => {
    const isKept = kept.includes(m);
    notes[m.plan.name] = { validationScore: found.scores[i], weight: isKept ? 1 / kept.length : 0 };
    if (!isKept) notes[m.plan.name].role = 'pruned';
  });
  return {
    members: kept,
    others: library.filter((m) => !kept.includes(m)),
    combiner,
    notes,
    combined: combineSplits(combiner, kept),
    details: {
      metric: found.metric,
      order: found.order.map((m) => m.plan.name),
      kept: kept.length,
      curve: found.curve,
    },
  };
}
