import type { CombineRule, EnsembleMethod, Task } from '../config/types';
import type {
  BiasVarianceReport,
  CrossValidationReport,
  ImbalanceReport,
  MetricIntervals,
  TemperatureReport,
  ThresholdReport,
} from '../evaluation/types';

/** One step of a member's magnitude pruning: the share of kernel weights zeroed, and after. */
export interface PruningStep {
  sparsity: number;
  /** Kernel weights (dense and convolution) that are not zero, out of `kernelWeights`. */
  nonzero: number;
  kernelWeights: number;
  /** On the validation rows after this step's fine-tune; absent without validation rows. */
  validationLoss?: number;
  validationAccuracy?: number;
}

/** One row of the leaderboard: a member or the ensemble. */
export interface ScoredModel {
  name: string;
  /** Member kind, or `ensemble`. */
  kind: string;
  /** Test metrics by name (see metrics/names.ts). */
  metrics: Record<string, number>;
  /** Validation metrics by name, when there are validation rows. */
  validationMetrics?: Record<string, number>;
  /** confusion[true][predicted], classification only. */
  confusion?: number[][];
  perClass?: { label: string; precision: number; recall: number; f1: number; support: number }[];
}

export interface MemberReport extends ScoredModel {
  status: 'done' | 'failed';
  reason?: string;
  fitMs?: number;
  epochsRun?: number;
  bestEpoch?: number;
  parameters?: number;
  /** Training rows this member saw, counting repeats, and how many were distinct. */
  rows?: number;
  distinctRows?: number;
  /** Feature columns this member saw (random subspaces), by index. */
  features?: number[];
  /** Its weight in the combine step (0 for a member trained but not combined). */
  weight?: number;
  /** AdaBoost: its estimator weight α, before the weights are normalized. */
  alpha?: number;
  /** AdaBoost: its weighted training error. */
  error?: number;
  /** Stacking: the fold whose rows it did not see (out-of-fold models). */
  fold?: number;
  /** Boosting: 1-based round. */
  round?: number;
  /**
   * What the member is to the method: `member` (combined), `fold` (an out-of-fold model of
   * stacking), `meta` (a stacking meta-learner), `pruned` (left out by pruning or selection),
   * `base` (the trained network FGE's cycles start from).
   */
  role?: 'member' | 'fold' | 'meta' | 'pruned' | 'base';
  /** Weight pruning: size and validation scores after each step, the unpruned model first. */
  pruning?: PruningStep[];
  /** Snapshot ensembles and FGE: the 1-based learning-rate cycle whose end it is. */
  cycle?: number;
  /** Ensemble selection: how many times it was picked. */
  count?: number;
  /** The validation score a method ranked it by (selection, pruning, boosting's stop). */
  validationScore?: number;
}

/** report.json: everything the leaderboard and the confusion-matrix panel show. */
export interface RunReport {
  runId: string;
  configName: string;
  task: Task;
  classes: string[];
  method: EnsembleMethod;
  /**
   * How the members were combined: the rule (AdaBoost's α-weighted `hard-vote`, selection's
   * `soft-vote`...), `boosted` (gradient boosting's shrunken sum) or `stacked` (a meta-learner).
   */
  combine: CombineRule | 'boosted' | 'stacked';
  headline: string;
  split: { train: number; validation: number; test: number };
  /** The file the test rows came from, when a run was evaluated on other rows than its own. */
  source?: string;
  ensemble: ScoredModel;
  members: MemberReport[];
  /** Mean of each test metric over the trained members. */
  meanMember: Record<string, number>;
  diversity?: {
    pairs: Record<string, number | string>[];
    mean: Record<string, number>;
  };
  oob?: { metric: string; value: number; coverage: number };
  /** What the method reports beyond its members: AdaBoost's rounds, pruning's curve, ... */
  methodDetails?: Record<string, unknown>;
  reliability?: {
    binStart: number;
    binEnd: number;
    count: number;
    confidence: number;
    accuracy: number;
  }[];
  /** Bootstrap confidence intervals on the ensemble's test metrics. */
  intervals?: MetricIntervals;
  /** Temperature scaling of the ensemble, fitted on validation rows. */
  calibration?: TemperatureReport;
  /** k-fold cross-validation of the whole ensemble. */
  crossValidation?: CrossValidationReport;
  /** When the training rows' rarest class is rare: what the report leads with instead. */
  imbalance?: ImbalanceReport;
  /** A binary ensemble's decision threshold, tuned on validation rows. */
  threshold?: ThresholdReport;
  /** Bias and variance of a single member and of the ensemble, over resampled training rows. */
  biasVariance?: BiasVarianceReport;
}
