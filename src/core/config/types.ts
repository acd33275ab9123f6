import type { SweepConfig } from './sweep-types';

/**
 * The resolved ensemble config: what a `*.ensemble.json` file says once it has been parsed,
 * validated against schema/ensemble.schema.json, given its defaults and had its paths made
 * absolute. Everything downstream (data, training, ensembles, the run store) reads this shape.
 */
export interface EnsembleConfig {
  /** A short name for the experiment; runs are listed under it. */
  name: string;
  /** Absolute path of the config file this was read from. */
  configPath: string;
  data: DataConfig;
  members: MemberSpec[];
  training: TrainingConfig;
  ensemble: EnsembleSpec;
  evaluation: EvaluationConfig;
  /** A hyperparameter search over this config, for `ensemble-lab sweep`. */
  sweep?: SweepConfig;
  /**
   * Where each setting was written in the config file, keyed by its JSON path
   * (`ensemble.combine`, `members[0].hidden`): checks made later, once the data is read,
   * can still point at the line to change. Absent for configs built in code.
   */
  positions?: Record<string, ConfigPosition>;
}

/** A range in the config file: 1-based lines and columns, as editors show them. */
export interface ConfigPosition {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type Task = 'classification' | 'regression';

/** A table file (CSV or Parquet), or a pair of IDX files (images and labels). */
export type DataSource =
  | { kind: 'table'; path: string; format: 'csv' | 'parquet' }
  | { kind: 'idx'; images: string; labels: string };

export type TestSplit =
  | { kind: 'fraction'; fraction: number; stratify: boolean }
  | { kind: 'source'; source: DataSource };

export type ColumnKind = 'numeric' | 'categorical' | 'text' | 'ignore';

export interface PreprocessConfig {
  /** How numeric columns are scaled, fitted on training rows only. */
  numeric: 'standardize' | 'minmax' | 'none';
  /** How missing numeric values are filled; categorical gaps become their own level. */
  impute: 'mean' | 'median' | 'zero';
  /** How `text` columns become features: a vocabulary fitted on training rows only. */
  text?: TextConfig;
  /** Reshape the feature columns into images of this shape, for `cnn` members. */
  image?: { height: number; width: number; channels: number };
}

export interface TextConfig {
  /** Keep at most this many words, the most frequent by the number of rows they occur in. */
  maxFeatures: number;
  /** Keep only words found in at least this many training rows. */
  minDocuments: number;
  /** `tfidf` (counts times idf, rows scaled to unit length), `count` or `binary`. */
  weighting: 'tfidf' | 'count' | 'binary';
}

export interface DataConfig {
  train: DataSource;
  /** The column to predict (table sources); IDX sources use their label file. */
  target: string;
  /** Inferred from the target column when not given: text or few integer levels classify. */
  task?: Task;
  test: TestSplit;
  /** Fraction of the training rows held out for early stopping and validation scores. */
  validationFraction: number;
  /** Column kinds the user forces; the rest are inferred. */
  columns: Record<string, ColumnKind>;
  preprocess: PreprocessConfig;
}

export type MemberKind = 'mlp' | 'cnn' | 'linear' | 'tree' | 'forest' | 'custom' | 'saved';

export interface SwaConfig {
  /** Epochs trained on after training, at a constant rate; their ends are averaged. */
  epochs: number;
  /** The constant learning rate of those epochs; half the member's rate if absent. */
  learningRate?: number;
}

export interface PruneConfig {
  /** Share of each kernel's weights set to zero in the end. */
  sparsity: number;
  /** Steps to reach it: step k prunes to sparsity · k / steps, then fine-tunes. */
  steps: number;
  /** Fine-tune epochs after each step, at half the learning rate. */
  fineTuneEpochs: number;
}

export interface MemberSpec {
  /** Unique within the ensemble; `count` copies get `name-1`, `name-2`, ... */
  name: string;
  model: MemberKind;
  /** Hidden layer widths (mlp). */
  hidden: number[];
  activation: 'relu' | 'tanh' | 'sigmoid' | 'elu' | 'selu' | 'gelu';
  dropout: number;
  batchNorm: boolean;
  l1: number;
  l2: number;
  /** Convolution filters per block (cnn); each block is conv, conv-free pooling by 2. */
  filters: number[];
  kernelSize: number;
  /** Dense width after the convolutions (cnn). */
  dense: number;
  /** Deepest split level of a tree or of a forest's trees; 1 is a decision stump. */
  maxDepth?: number;
  /** A node with this many rows or fewer becomes a leaf (tree, forest). */
  minSamples: number;
  /** Trees in a forest. */
  trees: number;
  /** Share of the features each tree of a forest sees. */
  maxFeatures: number;
  /** A custom member's module (absolute path): it builds the member's TF.js model. */
  module?: string;
  /** Options handed to a custom member's module, as written. */
  options: Record<string, unknown>;
  /** A saved member's model.json (absolute path). */
  path?: string;
  /** Whether a saved member is fine-tuned on this run's rows (else it is used frozen). */
  trainable: boolean;
  /** Stacking: the level this member sits on; level 1 reads the data, level n level n − 1. */
  level: number;
  /** Stochastic weight averaging after training (networks). */
  swa?: SwaConfig;
  /** Magnitude pruning of the trained network's weights, with fine-tuning. */
  prune?: PruneConfig;
  /** Training settings that differ for this member from the ensemble-wide ones. */
  training: Partial<TrainingConfig>;
  /** Position of the spec in the config file, for errors and code lenses. */
  source?: { index: number; copy?: number };
}

export type Schedule =
  | { type: 'constant' }
  | { type: 'step'; stepSize: number; gamma: number }
  | { type: 'cosine'; minLearningRate: number }
  | { type: 'cyclic'; minLearningRate: number; cycleLength: number };

export interface EarlyStoppingConfig {
  patience: number;
  /** Validation metric watched: `loss` or `accuracy` (classification), `loss` (regression). */
  monitor: 'loss' | 'accuracy';
  minDelta: number;
  restoreBestWeights: boolean;
}

export interface TrainingConfig {
  epochs: number;
  batchSize: number;
  optimizer: 'adam' | 'sgd' | 'rmsprop';
  learningRate: number;
  /** Momentum for sgd and rmsprop. */
  momentum: number;
  schedule: Schedule;
  earlyStopping?: EarlyStoppingConfig;
  /** `balanced` weighs classes inversely to their frequency; a map gives weights by class name. */
  classWeights?: 'balanced' | Record<string, number>;
  /** A column holding a weight per row; it is not used as a feature. */
  sampleWeightColumn?: string;
  /**
   * Adversarial training: each step also trains on the batch moved by `epsilon` (in input
   * units) along the sign of the loss gradient (FGSM), and minimizes the mean of both losses.
   */
  adversarial?: { epsilon: number };
  seed: number;
}

export type EnsembleMethod =
  | 'voting'
  | 'averaging'
  | 'bagging'
  | 'adaboost'
  | 'gradient-boosting'
  | 'stacking'
  | 'selection'
  | 'pruning'
  | 'snapshot'
  | 'fge'
  | 'fusion';
export type CombineRule = 'soft-vote' | 'hard-vote' | 'weighted' | 'mean' | 'median';

export interface EnsembleSpec {
  method: EnsembleMethod;
  /** soft-vote / hard-vote / weighted for classification; mean / median for regression. */
  combine: CombineRule;
  /** One weight per trained member (after `count` expansion), for `weighted`. */
  weights?: number[];
  bagging: BaggingConfig;
  adaboost: AdaBoostConfig;
  gradientBoosting: GradientBoostingConfig;
  stacking: StackingConfig;
  selection: SelectionConfig;
  pruning: PruningConfig;
  snapshot: SnapshotConfig;
  fge: FgeConfig;
}

export interface SnapshotConfig {
  /**
   * Cycles of the learning rate: `training.epochs` is split into this many cycles, each a
   * cosine fall from `training.learningRate` to `minLearningRate`, and each cycle's end
   * weights are one member of the ensemble.
   */
  cycles: number;
  /** The learning rate at the end of each cycle; a hundredth of the learning rate if absent. */
  minLearningRate?: number;
}

export interface FgeConfig {
  /** Models collected after the first training: one at the end of each short cycle. */
  cycles: number;
  /** Epochs per cycle. */
  cycleEpochs: number;
  /** Each cycle's learning rate falls from this to `lowLearningRate`; default the base rate. */
  highLearningRate?: number;
  /** The learning rate at the low point, where a model is collected; default a 20th. */
  lowLearningRate?: number;
}

export interface SelectionConfig {
  /** Greedy additions (with replacement) before the best prefix is kept. */
  rounds: number;
  /** The validation metric to optimize; log-loss (classification) or rmse by default. */
  metric?: string;
  /** Earlier runs (ids, or paths to run folders) whose members join the library. */
  runs: string[];
}

export interface PruningConfig {
  /** How many members to keep. */
  keep: number;
  /**
   * `score`: the best by validation score; `diversity`: the best member, then each time the
   * one whose outputs differ most from those kept; `both`: each time the best rank sum.
   */
  by: 'score' | 'diversity' | 'both';
  /** The validation metric members are ranked by; log-loss or rmse by default. */
  metric?: string;
  /** Earlier runs (ids, or paths to run folders) whose members join the library. */
  runs: string[];
}

export interface StackingConfig {
  /** Folds of the training rows for out-of-fold predictions (at least 2). */
  folds: number;
  /** Give each level above the first the original features beside the predictions. */
  passthrough: boolean;
  /** The meta-learner on top; a linear member (logistic regression) unless the config says. */
  meta: MemberSpec;
}

export interface GradientBoostingConfig {
  /** Each member's outputs are multiplied by this before they join the ensemble's score. */
  shrinkage: number;
  /** Rounds without a better validation loss before boosting stops. */
  patience: number;
}

export interface AdaBoostConfig {
  /** Shrinks every estimator weight: α = learningRate · (ln((1 − err) / err) + ln(K − 1)). */
  learningRate: number;
  /**
   * Train members that cannot take sample weights (tree, forest) on a weighted resample of
   * the rows; when false, such members are a config error.
   */
  resample: boolean;
}

export interface BaggingConfig {
  /** Draw rows with replacement (bootstrap) or without (subsampling). */
  bootstrap: boolean;
  /** Rows per member, as a fraction of the training rows. */
  maxSamples: number;
  /** Features per member, as a fraction of the features: below 1 gives random subspaces. */
  maxFeatures: number;
  oobScore: boolean;
  /**
   * Class-balanced bootstrap: each member draws the same number of rows from every class
   * (with replacement), so rare classes are seen as often as common ones.
   */
  classBalanced?: boolean;
}

export interface EvaluationConfig {
  /** Metric names shown first; every metric is computed regardless. */
  metrics: string[];
  /** k-fold cross-validation of the whole ensemble, beside the holdout test; absent: none. */
  crossValidation?: CrossValidationConfig;
  /** Percentile bootstrap intervals on the ensemble's test metrics. */
  bootstrap: BootstrapConfig;
  /** Calibration of the ensemble's probabilities (classification). */
  calibration: CalibrationConfig;
  /**
   * Tune a binary ensemble's decision threshold for the rarer class on the validation rows
   * (best F1 there), and report its scores before and after.
   */
  tuneThreshold: boolean;
  /** The bias-variance decomposition of the ensemble against one member; absent: none. */
  biasVariance?: BiasVarianceConfig;
}

export interface BiasVarianceConfig {
  /** Bootstrap resamples of the training rows, each training the ensemble and one member. */
  rounds: number;
}

export interface CrossValidationConfig {
  /** Folds of the training file's rows (at least 2). */
  folds: number;
  /** Keep each class's share in every fold (classification). */
  stratify: boolean;
}

export interface BootstrapConfig {
  /** Resamples of the test rows; 0 turns the intervals off. */
  resamples: number;
  /** Central share of the resampled values the interval covers, in (0, 1). */
  level: number;
}

export interface CalibrationConfig {
  /**
   * Fit one temperature on the validation rows that divides the log of the ensemble's
   * probabilities before a softmax, and report calibration before and after.
   */
  temperature: boolean;
}
