import type { CombineRule } from '../config/types';
import { UserError } from '../errors';

/**
 * How an ensemble turns its members' outputs into one, as plain JSON: it is saved with the
 * run (combiner.json) so `predict` combines new rows exactly as the report did.
 *
 * - rule: a combine rule with one weight per member (voting, bagging, AdaBoost's α-weighted
 *   vote, ensemble selection's counts).
 * - boosted: `prior + shrinkage · scale · Σ member outputs`, through a softmax for classes
 *   (gradient boosting, whose members output raw scores).
 * - stacked: a meta-learner member reads the members' outputs (stacking); its outputs are the
 *   ensemble's, so this records only which member it is and what it reads.
 */
export type Combiner =
  | { kind: 'rule'; rule: CombineRule; width: number; weights: number[] }
  | {
      kind: 'boosted';
      width: number;
      shrinkage: number;
      prior: number[];
      softmax: boolean;
      /** Members fit residuals divided by this (the target's deviation, for regression). */
      scale: number;
    }
  | {
      kind: 'stacked';
      width: number;
      levels: string[][];
      meta: string;
      passthrough: boolean;
      /** Regression: predicted values are fed upwards as (value − center) / spread. */
      scale?: PredictionScale;
    };

/** Puts predicted values on a unit scale before a stacking level reads them. */
export interface PredictionScale {
  center: number;
  spread: number;
}

/** The one combine step: the members' outputs on some rows (same order as when trained). */
export function combineWith(combiner: Combiner, outputs: Float32Array[]): Float32Array {
  switch (combiner.kind) {
    case 'rule':
      return combine(combiner.rule, outputs, combiner.width, combiner.weights);
    case 'boosted':
      return boostedSum(combiner, outputs);
    case 'stacked':
      throw new Error('a stacked ensemble is combined by its meta-learner, not by combineWith');
  }
}

/** The shrunken sum of raw member outputs on top of the prior, softmaxed for classes. */
export function boostedSum(
  combiner: Extract<Combiner, { kind: 'boosted' }>,
  outputs: Float32Array[],
): Float32Array {
  const { width, prior } = combiner;
  const step = combiner.shrinkage * combiner.scale;
  const rows = (outputs[0]?.length ?? 0) / width;
  const sum = new Float32Array(rows * width);
  for (let i = 0; i < sum.length; i++) sum[i] = prior[i % width];
  outputs.forEach((output) => output.forEach((v, i) => (sum[i] += step * v)));
  return combiner.softmax ? softmaxRows(sum, width) : sum;
}

/** Row-wise softmax of scores, stable against large values. */
export function softmaxRows(scores: Float32Array, width: number): Float32Array {
  const out = new Float32Array(scores.length);
  for (let offset = 0; offset < scores.length; offset += width) {
    const row = scores.subarray(offset, offset + width);
    const top = Math.max(...row);
    let total = 0;
    row.forEach((v, k) => (total += out[offset + k] = Math.exp(v - top)));
    for (let k = 0; k < width; k++) out[offset + k] /= total;
  }
  return out;
}

/**
 * The one combine step every ensemble method ends in. Classification members give
 * probabilities (rows x classes); regression members give one value per row.
 *
 * - soft-vote / weighted: the (weighted) mean of the members' probabilities.
 * - hard-vote: each member votes for its top class; the output is the (weighted) share of
 *   votes per class, so metrics that need scores still have them.
 * - mean / median: the (weighted) mean or the plain median of regression outputs.
 */
export function combine(
  rule: CombineRule,
  outputs: Float32Array[],
  width: number,
  weights?: number[],
): Float32Array {
  if (outputs.length === 0) throw new UserError('the ensemble has no trained member to combine');
  const w = normalizedWeights(weights ?? outputs.map(() => 1), outputs.length);

  switch (rule) {
    case 'soft-vote':
    case 'weighted':
    case 'mean':
      return weightedMean(outputs, w);
    case 'hard-vote':
      return voteShares(outputs, width, w);
    case 'median':
      return median(outputs);
  }
}

export function normalizedWeights(weights: number[], count: number): number[] {
  if (weights.length !== count) {
    throw new UserError(
      `ensemble.weights has ${weights.length} entries but there are ${count} members`,
    );
  }
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (!(total > 0)) throw new UserError('ensemble.weights must add up to more than 0');
  return weights.map((w) => w / total);
}

function weightedMean(outputs: Float32Array[], weights: number[]): Float32Array {
  const result = new Float32Array(outputs[0].length);
  outputs.forEach((output, m) => {
    for (let i = 0; i < result.length; i++) result[i] += weights[m] * output[i];
  });
  return result;
}

function voteShares(outputs: Float32Array[], width: number, weights: number[]): Float32Array {
  const rows = outputs[0].length / width;
  const result = new Float32Array(outputs[0].length);
  outputs.forEach((output, m) => {
    for (let r = 0; r < rows; r++)
      result[r * width + argmaxAt(output, r * width, width)] += weights[m];
  });
  return result;
}

function median(outputs: Float32Array[]): Float32Array {
  const result = new Float32Array(outputs[0].length);
  const column = new Float64Array(outputs.length);
  for (let i = 0; i < result.length; i++) {
    outputs.forEach((output, m) => (column[m] = output[i]));
    column.sort();
    const mid = column.length >> 1;
    result[i] = column.length % 2 ? column[mid] : (column[mid - 1] + column[mid]) / 2;
  }
  return result;
}

export function argmaxAt(values: Float32Array, offset: number, width: number): number {
  let best = 0;
  for (let k = 1; k < width; k++) if (values[offset + k] > values[offset + best]) best = k;
  return best;
}
