import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { TrainingConfig } from '../config/types';
import type { Dataset } from '../data/types';
import type { Logger } from '../log';

/** What one epoch did. */
export interface EpochLog {
  /** 1-based. */
  epoch: number;
  /** Mean training objective over the epoch's batches, regularization penalty included. */
  loss: number;
  /** Unweighted mean loss on the validation rows, without the regularization penalty. */
  valLoss?: number;
  valAccuracy?: number;
  learningRate: number;
}

/** Everything one member's training needs. */
export interface TrainInput {
  model: LayersModel;
  train: Dataset;
  /** Rows for validation metrics and early stopping; none (or 0 rows) turns both off. */
  validation?: Dataset;
  config: TrainingConfig;
  task: 'classification' | 'regression';
  /** Indices into `train` (may repeat: bootstrap); default all rows. */
  rows?: Int32Array;
  /**
   * Per entry of `rows` (or per train row when `rows` is absent); multiplies the loss, on top
   * of `train.sampleWeights` and the class weights.
   */
  sampleWeights?: Float32Array;
  /**
   * Targets fitted instead of `train.y`, `width` values per train row, with squared error
   * (`task` must be regression): gradient boosting's residuals.
   */
  targets?: { values: Float32Array; width: number };
  /** Seeds the row order of every epoch. */
  seed: number;
  /** Called after each epoch; returning `'stop'` ends training there (a pruned sweep trial). */
  onEpoch?: (log: EpochLog) => 'stop' | void;
  /** Checked between batches; stopping returns what was trained so far. */
  shouldStop?: () => boolean;
  /** Called after each optimizer step (weight pruning holds its zeroed weights at zero). */
  afterStep?: () => void;
  logger: Logger;
  /**
   * Train through TF.js autodiff even where the written-out dense step (dense-step.ts) applies;
   * the tests compare the two paths.
   */
  plainStep?: boolean;
}

export interface TrainResult {
  history: EpochLog[];
  /**
   * 1-based epoch with the best monitored validation metric (the one whose weights were
   * restored, with early stopping); the last epoch run when there is no validation data.
   */
  bestEpoch: number;
  /** Epochs completed; a cancelled epoch is not counted. */
  epochsRun: number;
  /** Early stopping fired, or the loss stopped being a finite number. */
  stoppedEarly: boolean;
  /** `onEpoch` asked to stop. */
  stopRequested: boolean;
  cancelled: boolean;
  fitMs: number;
}
