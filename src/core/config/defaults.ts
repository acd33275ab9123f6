import type {
  AdaBoostConfig,
  BaggingConfig,
  CombineRule,
  EarlyStoppingConfig,
  GradientBoostingConfig,
  PreprocessConfig,
  Task,
  TrainingConfig,
} from './types';

/*
 * The defaults of every optional setting. schema/ensemble.schema.json repeats them as
 * `default` annotations for editor hovers; a test keeps the two in step.
 */

export const TRAINING_DEFAULTS: Readonly<TrainingConfig> = {
  epochs: 40,
  batchSize: 64,
  optimizer: 'adam',
  learningRate: 0.001,
  momentum: 0.9,
  schedule: { type: 'constant' },
  seed: 42,
};

export const SCHEDULE_DEFAULTS = {
  step: { stepSize: 10, gamma: 0.5 },
  cosine: { minLearningRate: 0 },
  cyclic: { minLearningRate: 0, cycleLength: 10 },
} as const;

export const EARLY_STOPPING_DEFAULTS: Readonly<EarlyStoppingConfig> = {
  patience: 5,
  monitor: 'loss',
  minDelta: 0,
  restoreBestWeights: true,
};

export const MEMBER_DEFAULTS = {
  hidden: [64],
  activation: 'relu',
  dropout: 0,
  batchNorm: false,
  l1: 0,
  l2: 0,
  filters: [16, 32],
  kernelSize: 3,
  dense: 64,
  minSamples: 3,
  trees: 20,
  maxFeatures: 0.7,
} as const;

export const DATA_DEFAULTS = {
  testFraction: 0.2,
  stratify: true,
  validationFraction: 0.1,
  /** The target name given to IDX sources, whose labels come from their own file. */
  idxTarget: 'label',
} as const;

export const PREPROCESS_DEFAULTS: Readonly<PreprocessConfig> = {
  numeric: 'standardize',
  impute: 'mean',
};

export const IMAGE_CHANNELS_DEFAULT = 1;

export const BAGGING_DEFAULTS: Readonly<BaggingConfig> = {
  bootstrap: true,
  maxSamples: 1,
  maxFeatures: 1,
  oobScore: true,
};

export const ADABOOST_DEFAULTS: Readonly<AdaBoostConfig> = {
  learningRate: 1,
  resample: true,
};

export const GRADIENT_BOOSTING_DEFAULTS: Readonly<GradientBoostingConfig> = {
  shrinkage: 1,
  patience: 2,
};

export const STACKING_DEFAULTS = {
  folds: 5,
  passthrough: false,
  meta: { name: 'meta', model: 'linear' },
} as const;

export const SELECTION_DEFAULTS = { rounds: 25 } as const;

export const PRUNING_DEFAULTS = { keep: 3, by: 'score' } as const;

export const METHOD_DEFAULT = 'voting';

/** The combine rule used when the config names none; classification when the task is open. */
export function defaultCombine(task: Task | undefined): CombineRule {
  return task === 'regression' ? 'mean' : 'soft-vote';
}

/** The metrics shown first when the config names none; classification when the task is open. */
export function defaultMetrics(task: Task | undefined): string[] {
  return task === 'regression' ? ['rmse', 'mae', 'r2'] : ['accuracy', 'f1-macro', 'log-loss'];
}

/** Evaluation settings a config leaves out. */
export const EVALUATION_DEFAULTS = {
  crossValidation: { folds: 5, stratify: true },
  bootstrap: { resamples: 1000, level: 0.95 },
  calibration: { temperature: false },
};

/** Snapshot ensembles: cycles of the learning rate over `training.epochs`. */
export const SNAPSHOT_DEFAULTS = { cycles: 5 };

/** Fast geometric ensembling: short cycles after the first training. */
export const FGE_DEFAULTS = { cycles: 4, cycleEpochs: 2 };

/** Text columns: a TF-IDF vocabulary of the words in at least 2 training rows, at most 1000. */
export const TEXT_DEFAULTS = { maxFeatures: 1000, minDocuments: 2, weighting: 'tfidf' as const };
