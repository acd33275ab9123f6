/*
 * The resolved `sweep` section of a config: a search space over config paths, the objective,
 * the sampler, the pruner and the budgets. See schema/ensemble.schema.json for the file form.
 */

/** A value a searched setting can take. */
export type ParameterValue = string | number | boolean;

/** A searched setting is active only when another one has one of these values. */
export interface ParameterCondition {
  /** The path of the other searched setting. */
  path: string;
  values: ParameterValue[];
}

interface ParameterBase {
  /** The setting's path in the config, as written: `members[0].hidden[0]`. */
  path: string;
  when?: ParameterCondition;
}

/** A float drawn between `low` and `high`, evenly or (with `log`) evenly in log scale. */
export interface FloatParameter extends ParameterBase {
  kind: 'float';
  low: number;
  high: number;
  log: boolean;
}

/** A whole number from `low` to `high` (both included) in steps of `step`. */
export interface IntParameter extends ParameterBase {
  kind: 'int';
  low: number;
  high: number;
  step: number;
  log: boolean;
}

/** One of a list of values. */
export interface CategoricalParameter extends ParameterBase {
  kind: 'categorical';
  choices: ParameterValue[];
}

export type SweepParameter = FloatParameter | IntParameter | CategoricalParameter;

/**
 * The ensemble score a trial is ranked by. Without `metric` it is the task's headline metric
 * (accuracy or r2), and without `direction` the metric's own; both are settled once the first
 * trial has told the task (see core/sweep/objective.ts).
 */
export interface SweepObjective {
  metric?: string;
  split: 'validation' | 'test';
  direction?: 'maximize' | 'minimize';
}

export interface SamplerConfig {
  type: 'tpe' | 'random' | 'grid';
  seed: number;
  /** TPE: trials drawn at random before the estimator is used. */
  startupTrials: number;
  /** TPE: candidates drawn from the good trials' density per suggestion. */
  candidates: number;
  /** TPE: the fraction of finished trials counted as good. */
  gamma: number;
  /** Grid: points across each continuous range. */
  gridPoints: number;
}

export type PrunerConfig =
  | { type: 'none' }
  | { type: 'median'; startupTrials: number; warmupEpochs: number }
  | { type: 'asha'; minEpochs: number; reductionFactor: number };

export interface SweepConfig {
  /** In the order they are written; a condition refers to a parameter written before it. */
  parameters: SweepParameter[];
  objective: SweepObjective;
  sampler: SamplerConfig;
  pruner: PrunerConfig;
  /** The trial budget. */
  trials: number;
  /** The time budget in seconds: no trial starts after it is spent. */
  timeBudget?: number;
  /**
   * Trials that may run at once (default 1). Their members share the sweep's worker threads,
   * so more trials at once do not start more workers.
   */
  parallel: number;
}

/** The `sweep` section as written, once it has passed the schema. */
export interface RawSweep {
  parameters: Record<string, RawSweepParameter>;
  objective?: {
    metric?: string;
    split?: 'validation' | 'test';
    direction?: 'maximize' | 'minimize';
  };
  sampler?: Partial<SamplerConfig>;
  pruner?: { type: PrunerConfig['type'] } & Partial<
    Record<'startupTrials' | 'warmupEpochs' | 'minEpochs' | 'reductionFactor', number>
  >;
  trials?: number;
  timeBudget?: number;
  parallel?: number;
}

export type RawSweepParameter = (
  | { type: 'uniform' | 'log-uniform'; low: number; high: number }
  | { type: 'int'; low: number; high: number; step?: number; log?: boolean }
  | { type: 'categorical'; choices: ParameterValue[] }
) & { when?: Record<string, ParameterValue | ParameterValue[]> };
