import type { BaggingConfig, CombineRule } from '../config/types';
import type { Rng } from '../random';
import { balancedBootstrap } from './balanced-bootstrap';
import { combine } from './combine';
import type { EnsembleMethodModule, MemberPlan, PlanContext } from './plan';
import { plannedMethod } from './planned';

/**
 * Bagging: each member sees its own sample of the training rows, drawn with replacement
 * (bootstrap) or without (subsampling), and optionally its own random subset of the features
 * (random subspaces).
 */
export const bagging: EnsembleMethodModule = plannedMethod(planBagging);

function planBagging({ config, train, rng }: PlanContext): MemberPlan[] {
  const settings = config.ensemble.bagging;

  return config.members.map((spec) => {
    const memberRng = rng.fork(spec.name);
    const rows =
      settings.classBalanced && train.task === 'classification'
        ? balancedBootstrap(
            train,
            Math.max(1, Math.round(train.rows * settings.maxSamples)),
            memberRng,
          )
        : sampleRows(train.rows, settings, memberRng);
    const features = sampleFeatures(train.features, settings.maxFeatures, memberRng);
    return { name: spec.name, spec, seed: memberRng.nextUint32(), rows, features };
  });
}

export function sampleRows(total: number, settings: BaggingConfig, rng: Rng): Int32Array {
  const count = Math.max(1, Math.round(total * settings.maxSamples));
  if (settings.bootstrap) return Int32Array.from({ length: count }, () => rng.int(total));

  const order = rng.shuffle(Int32Array.from({ length: total }, (_, i) => i));
  return order.slice(0, Math.min(count, total)).sort();
}

/** All features when the fraction is 1; otherwise a sorted random subset. */
export function sampleFeatures(total: number, fraction: number, rng: Rng): Int32Array | undefined {
  if (fraction >= 1) return undefined;
  const count = Math.max(1, Math.round(total * fraction));
  const order = rng.shuffle(Int32Array.from({ length: total }, (_, i) => i));
  return order.slice(0, count).sort();
}

/**
 * The out-of-bag prediction: for each training row, the members that never saw it are
 * combined. Rows every member saw are left out; `rows` lists the ones covered.
 */
export function outOfBag(
  plans: MemberPlan[],
  trainOutputs: Float32Array[],
  totalRows: number,
  width: number,
  rule: CombineRule,
): { rows: Int32Array; combined: Float32Array } {
  const seen = plans.map((plan) => membership(plan.rows, totalRows));
  const covered: number[] = [];
  const parts: Float32Array[] = [];

  for (let r = 0; r < totalRows; r++) {
    const outside = trainOutputs
      .filter((_, m) => !seen[m][r])
      .map((output) => output.subarray(r * width, (r + 1) * width));
    if (outside.length === 0) continue;
    covered.push(r);
    parts.push(combine(rule === 'weighted' ? 'soft-vote' : rule, outside, width));
  }

  const combined = new Float32Array(parts.length * width);
  parts.forEach((part, i) => combined.set(part, i * width));
  return { rows: Int32Array.from(covered), combined };
}

function membership(rows: Int32Array | undefined, total: number): Uint8Array {
  const seen = new Uint8Array(total);
  if (!rows) return seen.fill(1);
  rows.forEach((r) => (seen[r] = 1));
  return seen;
}
