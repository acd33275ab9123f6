import type {
  PrunerConfig,
  RawSweep,
  RawSweepParameter,
  SamplerConfig,
  SweepConfig,
  SweepParameter,
} from './sweep-types';

/** The defaults of the `sweep` section; the schema repeats them for editor hovers. */
export const SWEEP_DEFAULTS = {
  trials: 20,
  parallel: 1,
  split: 'validation',
  sampler: {
    type: 'tpe',
    seed: 0,
    startupTrials: 10,
    candidates: 24,
    gamma: 0.25,
    gridPoints: 5,
  } satisfies SamplerConfig,
  median: { startupTrials: 3, warmupEpochs: 2 },
  asha: { minEpochs: 1, reductionFactor: 3 },
} as const;

/** The `sweep` section with its defaults applied and its parameters in writing order. */
export function resolveSweep(raw: RawSweep): SweepConfig {
  const objective = raw.objective ?? {};

  return {
    parameters: Object.entries(raw.parameters).map(([path, p]) => resolveParameter(path, p)),
    objective: {
      ...(objective.metric ? { metric: objective.metric } : {}),
      split: objective.split ?? SWEEP_DEFAULTS.split,
      ...(objective.direction ? { direction: objective.direction } : {}),
    },
    sampler: { ...SWEEP_DEFAULTS.sampler, ...raw.sampler },
    pruner: resolvePruner(raw.pruner),
    trials: raw.trials ?? SWEEP_DEFAULTS.trials,
    ...(raw.timeBudget !== undefined ? { timeBudget: raw.timeBudget } : {}),
    parallel: raw.parallel ?? SWEEP_DEFAULTS.parallel,
  };
}

function resolveParameter(path: string, raw: RawSweepParameter): SweepParameter {
  const [when] = Object.entries(raw.when ?? {}).map(([on, values]) => ({
    path: on,
    values: Array.isArray(values) ? values : [values],
  }));
  const base = { path, ...(when ? { when } : {}) };

  switch (raw.type) {
    case 'uniform':
    case 'log-uniform':
      return { ...base, kind: 'float', low: raw.low, high: raw.high, log: raw.type !== 'uniform' };
    case 'int':
      return {
        ...base,
        kind: 'int',
        low: raw.low,
        high: raw.high,
        step: raw.step ?? 1,
        log: !!raw.log,
      };
    case 'categorical':
      return { ...base, kind: 'categorical', choices: [...raw.choices] };
  }
}

function resolvePruner(raw: RawSweep['pruner']): PrunerConfig {
  switch (raw?.type) {
    case 'median':
      return { ...SWEEP_DEFAULTS.median, ...raw, type: 'median' };
    case 'asha':
      return { ...SWEEP_DEFAULTS.asha, ...raw, type: 'asha' };
    default:
      return { type: 'none' };
  }
}
