// The report sections of src/core/evaluation, in a module with no engine imports: the
// webviews read report.json's types too.
import type { BootstrapInterval } from '../metrics/bootstrap';
import type { ReliabilityBin } from '../metrics/classification';

/** One fold of a cross-validation: the sizes of its parts and the ensemble's scores on it. */
export interface FoldScores {
  /** 0-based fold index: the fold whose rows were the test rows. */
  fold: number;
  train: number;
  validation: number;
  test: number;
  /** The ensemble's metrics on the held-out fold, by name. */
  metrics: Record<string, number>;
}

/** report.json's `crossValidation`: every fold's scores, and each metric's mean and spread. */
export interface CrossValidationReport {
  folds: number;
  stratify: boolean;
  perFold: FoldScores[];
  /** Mean of each metric over the folds. */
  mean: Record<string, number>;
  /** Sample standard deviation (n − 1) of each metric over the folds. */
  std: Record<string, number>;
}

/** report.json's `intervals`: a percentile bootstrap interval per ensemble test metric. */
export interface MetricIntervals {
  resamples: number;
  level: number;
  /** By metric name; `estimate` is the metric on all test rows, as in `ensemble.metrics`. */
  metrics: Record<string, BootstrapInterval>;
}

/** report.json's `calibration`: the fitted temperature and calibration before and after it. */
export interface TemperatureReport {
  /** Probabilities become softmax(log p / temperature): above 1 softens, below 1 sharpens. */
  temperature: number;
  /**
   * The fit ended at a limit of its range (1/20 to 20): the validation loss kept falling, as
   * when every validation row is classified right, so the temperature is not well determined.
   */
  atLimit: boolean;
  validation: CalibrationScores;
  test: CalibrationScores;
  /** Reliability curves of the test rows before and after scaling. */
  reliability: { before: ReliabilityBin[]; after: ReliabilityBin[] };
}

/** Expected calibration error and log loss of one split, before and after scaling. */
export interface CalibrationScores {
  ece: { before: number; after: number };
  logLoss: { before: number; after: number };
}

/** One class's scores when it is predicted at a threshold of its probability. */
export interface MinorityScores {
  precision: number;
  recall: number;
  f1: number;
  /** Average precision of the class (area under its precision-recall curve). */
  prAuc: number;
}

/** report.json's `imbalance`: present when the training rows' rarest class is rare. */
export interface ImbalanceReport {
  minorityClass: string;
  /** Its share of the training rows. */
  minorityShare: number;
  /** The metrics the report leads with instead of accuracy. */
  leading: string[];
  /** The minority class's scores on the test rows, at the usual argmax (0.5 for two classes). */
  test: MinorityScores;
}

/** report.json's `threshold`: a binary ensemble's decision threshold tuned on validation rows. */
export interface ThresholdReport {
  /** The class predicted when its probability reaches `threshold`: the rarer one. */
  positiveClass: string;
  threshold: number;
  validation: { before: MinorityScores; after: MinorityScores };
  test: { before: MinorityScores; after: MinorityScores };
}

/** Averages over the test rows of one model's loss and its parts. */
export interface BiasVarianceParts {
  /** Expected loss over the rounds: squared error, or the error rate. */
  loss: number;
  /** Squared bias (regression) or the share of rows whose main prediction is wrong. */
  bias: number;
  /** Spread of the rounds' predictions: mean squared deviation, or share off the main one. */
  variance: number;
  /**
   * What the variance adds to the loss: the variance itself for squared loss; for 0-1 loss
   * the variance of unbiased rows minus the share of right predictions on biased rows.
   * loss = bias + netVariance.
   */
  netVariance: number;
}

/** report.json's `biasVariance`: a single member against the ensemble over resampled data. */
export interface BiasVarianceReport {
  rounds: number;
  /** The config's first member, trained alone in each round. */
  member: string;
  single: BiasVarianceParts;
  ensemble: BiasVarianceParts;
}
