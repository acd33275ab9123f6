import type { EnsembleConfig } from '../config/types';
import { errorAt } from '../config/error-at';
import { memberKind } from '../members/kinds';
import type { Rng } from '../random';
import { argmaxAt, type Combiner } from './combine';
import { outputWidth, type MemberOutputs } from './evaluate';
import {
  type EnsembleMethodModule,
  type MemberNote,
  type MemberPlan,
  type MethodContext,
  type MethodResult,
} from './plan';
import { combineSplits, trainUnlessFailed } from './planned';

/**
 * AdaBoost, multi-class SAMME (Zhu et al. 2009). Each member (after `count` copies, one per
 * round) trains on the rows weighted by how badly the members before it did; its estimator
 * weight is α = learningRate · (ln((1 − err) / err) + ln(K − 1)), and the ensemble is the
 * α-weighted vote. Boosting stops when a member is no better than chance (err ≥ 1 − 1/K:
 * that member is left out) or perfect (err = 0: it is kept, with err taken as 1e-10).
 *
 * Members that take sample weights (networks) learn from them through the weighted loss;
 * those that do not (trees, forests) train on a weighted resample of the rows.
 *
 * Resume: every finished round is loaded rather than retrained, and because each round's
 * rows and weights follow from the rounds before it and the seed, the sequence goes on
 * where it stopped; the round that was interrupted restarts from its first epoch.
 */
export const adaboost: EnsembleMethodModule = {
  members: ({ config }) => config.members.map((s) => ({ name: s.name, kind: s.model })),
  run: runAdaBoost,
};

/** The smallest weighted error used for α, so a perfect member gets a large, finite α. */
const MIN_ERROR = 1e-10;

/** What one round did, for report.json. */
export interface BoostRound {
  member: string;
  /** Weighted training error of the member under the weights it trained with. */
  error: number;
  alpha: number;
  /** Whether it trained on a weighted resample (it takes no sample weights). */
  resampled: boolean;
  /** Share of the weight on the rows it got wrong, before and after the update. */
  misclassifiedWeight: { before: number; after: number };
  /** Why boosting stopped after this round, if it did. */
  stopped?: 'no better than chance' | 'perfect';
}

async function runAdaBoost(context: MethodContext): Promise<MethodResult> {
  const { config, data } = context;
  const classes = outputWidth(data.train);
  let weights: Float64Array = new Float64Array(data.train.rows).fill(1 / data.train.rows);
  const kept: MemberOutputs[] = [];
  const dropped: MemberOutputs[] = [];
  const rounds: BoostRound[] = [];

  for (const [round, spec] of config.members.entries()) {
    const plan = roundPlan(spec, weights, context.rng.fork(spec.name));
    const outputs = await trainUnlessFailed(context, plan);
    if (!outputs) break;
    const step = boostStep(weights, wrongRows(outputs.train, data.train.y, classes), {
      classes,
      learningRate: config.ensemble.adaboost.learningRate,
    });
    rounds.push({ member: spec.name, resampled: plan.rows !== undefined, ...step.summary });
    (step.summary.stopped === 'no better than chance' ? dropped : kept).push(outputs);
    context.logger.log('debug', `round ${round + 1}: error ${step.summary.error.toFixed(4)}`);
    if (step.summary.stopped) break;
    weights = step.weights;
  }
  if (kept.length === 0 && dropped.length > 0) throw chanceError(config, rounds[0]);
  return adaBoostResult(kept, dropped, rounds, classes);
}

function chanceError(config: EnsembleConfig, round: BoostRound): Error {
  const spec = config.members[0];
  return errorAt(
    config,
    `members[${spec.source?.index ?? 0}]`,
    `AdaBoost's first member "${spec.name}" is no better than chance on the training rows ` +
      `(weighted error ${round.error.toFixed(3)}); train it longer or give it more capacity`,
  );
}

/** The plan of one round: its sample weights, or a weighted resample for weight-less kinds. */
function roundPlan(
  spec: EnsembleConfig['members'][number],
  weights: Float64Array,
  rng: Rng,
): MemberPlan {
  const base = { name: spec.name, spec, seed: rng.nextUint32(), predictTrain: true };
  if (memberKind(spec.model).takesSampleWeights) {
    // Scaled to mean 1; the weighted loss divides by the sum, so only the shares matter.
    const n = weights.length;
    return { ...base, sampleWeights: Float32Array.from(weights, (w) => w * n) };
  }
  return { ...base, rows: weightedResample(weights, weights.length, rng) };
}

/** `count` row indices drawn with replacement, each row with probability its weight. */
export function weightedResample(weights: Float64Array, count: number, rng: Rng): Int32Array {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => (cumulative[i] = total += w));

  return Int32Array.from({ length: count }, () => {
    const target = rng.next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid] > target) high = mid;
      else low = mid + 1;
    }
    return low;
  });
}

/** 1 where the member's top class is not the label. */
export function wrongRows(
  outputs: Float32Array | undefined,
  labels: Float32Array,
  classes: number,
): Uint8Array {
  if (!outputs) throw new Error('AdaBoost needs every member to predict its training rows');
  return Uint8Array.from(labels, (y, r) => (argmaxAt(outputs, r * classes, classes) !== y ? 1 : 0));
}

/**
 * One SAMME update: the weighted error, α, and the new weights (misclassified rows multiplied
 * by e^α, then all normalized to sum to 1).
 */
export function boostStep(
  weights: Float64Array,
  wrong: Uint8Array,
  settings: { classes: number; learningRate: number },
): { weights: Float64Array; summary: Omit<BoostRound, 'member' | 'resampled'> } {
  const total = weights.reduce((s, w) => s + w, 0);
  const error = weights.reduce((s, w, i) => s + (wrong[i] ? w : 0), 0) / total;
  const { classes, learningRate } = settings;
  const chance = error >= 1 - 1 / classes;
  const stopped: BoostRound['stopped'] = chance
    ? 'no better than chance'
    : error <= 0
      ? 'perfect'
      : undefined;

  const clipped = Math.max(error, MIN_ERROR);
  const alpha = chance
    ? 0
    : learningRate * (Math.log((1 - clipped) / clipped) + Math.log(classes - 1));
  const next = Float64Array.from(weights, (w, i) => (wrong[i] ? w * Math.exp(alpha) : w));
  const nextTotal = next.reduce((s, w) => s + w, 0);
  next.forEach((w, i) => (next[i] = w / nextTotal));

  const after = next.reduce((s, w, i) => s + (wrong[i] ? w : 0), 0);
  const summary = { error, alpha, misclassifiedWeight: { before: error, after }, stopped };
  return { weights: next, summary };
}

function adaBoostResult(
  kept: MemberOutputs[],
  dropped: MemberOutputs[],
  rounds: BoostRound[],
  classes: number,
): MethodResult {
  const alphas = kept.map((m) => rounds.find((r) => r.member === m.plan.name)?.alpha ?? 0);
  const total = alphas.reduce((s, a) => s + a, 0);
  const weights = alphas.map((a) => a / total);
  const combiner: Combiner = { kind: 'rule', rule: 'hard-vote', width: classes, weights };
  const notes: Record<string, MemberNote> = {};
  rounds.forEach((r, i) => {
    const index = kept.findIndex((m) => m.plan.name === r.member);
    notes[r.member] = { round: i + 1, alpha: r.alpha, error: r.error, weight: weights[index] ?? 0 };
    if (index < 0) notes[r.member].role = 'pruned';
  });
  return {
    members: kept,
    others: dropped,
    combiner,
    notes,
    combined: combineSplits(combiner, kept),
    details: { rounds },
  };
}
