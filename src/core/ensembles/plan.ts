import type { EnsembleConfig, MemberSpec } from '../config/types';
import type { Dataset } from '../data/types';
import type { Rng } from '../random';

/**
 * One unit of work: a member to train, self-contained so it can run on a worker thread (or,
 * later, another machine). `rows` indexes the training set (may repeat, for bootstrap);
 * `features` selects feature columns (random subspaces). Absent means all.
 */
export interface MemberPlan {
  name: string;
  spec: MemberSpec;
  seed: number;
  rows?: Int32Array;
  features?: Int32Array;
  /** Loss weight per entry of `rows` (or per training row): boosting's sample weights. */
  sampleWeights?: Float32Array;
  /**
   * Targets fitted with squared error instead of the labels, `width` per training row:
   * gradient boosting's residuals.
   */
  targets?: { values: Float32Array; width: number };
  /** Also predict every training row (out-of-bag, boosting, out-of-fold predictions). */
  predictTrain?: boolean;
}

export interface PlanContext {
  config: EnsembleConfig;
  train: Dataset;
  rng: Rng;
}

/** What an ensemble method adds to the report once its members are trained. */
export interface MethodReport {
  /** Out-of-bag estimate of the headline metric (bagging). */
  oob?: { metric: string; value: number; coverage: number };
}

/**
 * An ensemble method: how it chooses each member's rows and features, and what it reports.
 * A new method is a new module implementing this, registered in `methods.ts`.
 */
export interface EnsembleMethodModule {
  plan(context: PlanContext): MemberPlan[];
}

/** Every member trained on every row, each with its own seed. */
export function planAllRows({ config, rng }: PlanContext): MemberPlan[] {
  return config.members.map((spec) => ({
    name: spec.name,
    spec,
    seed: rng.fork(spec.name).nextUint32(),
  }));
}
