import type { TextFeatures } from './text';
import type { Task } from '../config/types';

/**
 * Rows ready for training: a dense row-major feature matrix and a target vector.
 * For classification `y` holds class indices into `classes`; for regression, values.
 */
export interface Dataset {
  x: Float32Array;
  y: Float32Array;
  rows: number;
  /** Features per row (the product of `inputShape`). */
  features: number;
  /** `[features]` for tables, `[height, width, channels]` for images. */
  inputShape: number[];
  featureNames: string[];
  task: Task;
  /** Class names in index order; empty for regression. */
  classes: string[];
  /** Per-row weights from the config's sample weight column, if any. */
  sampleWeights?: Float32Array;
}

/** The training, validation and test parts of one data set, after preprocessing. */
export interface PreparedData {
  train: Dataset;
  validation: Dataset;
  test: Dataset;
  /** The fitted preprocessing, saved with the run so new rows can be predicted. */
  preprocessor: PreprocessorState;
}

/**
 * Everything needed to turn a raw row into model input again: column order and kinds,
 * fitted scaling and imputation, one-hot vocabularies, class names. Plain JSON.
 */
export interface PreprocessorState {
  version: 1;
  target: string;
  task: Task;
  classes: string[];
  inputShape: number[];
  featureNames: string[];
  columns: PreprocessedColumn[];
}

export type PreprocessedColumn =
  | { name: string; kind: 'numeric'; fill: number; offset: number; scale: number }
  | { name: string; kind: 'categorical'; levels: string[] }
  | TextFeatures;
