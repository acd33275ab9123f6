import type { CombineRule } from '../config/types';
import { UserError } from '../errors';

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
