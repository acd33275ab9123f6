import type { MemberSpec, TrainingConfig } from '../config/types';
import type { Dataset } from '../data/types';
import type { SourcePosition } from '../errors';
import type { Logger } from '../log';
import type { MemberReport } from '../runs/report';
import type { EpochLog, TrainResult } from '../training/types';

/**
 * A trained member of any kind (a network, a tree, a forest), as the ensemble sees it: it
 * predicts, it saves itself into its member folder, and it frees what it holds.
 */
/**
 * A network's weights as plain numbers, in the order of the model's weights: what a
 * warm-started member begins from (the next cycle of a snapshot ensemble or of FGE).
 */
export type NetworkWeights = { shape: number[]; values: Float32Array }[];

export interface TrainedModel {
  /** Outputs for every row of `data`, row-major: class probabilities, or values. */
  predict(data: Dataset): Float32Array;
  /** Writes the model into `dir`; {@link MemberKindModule.load} reads it back. */
  save(dir: string): Promise<void>;
  /** Trainable numbers (weights, or tree nodes), for the report. */
  parameters: number;
  /** The weights of a network; absent for kinds without weights (trees). */
  weights?(): NetworkWeights;
  dispose(): void;
}

/** Everything one member's fit needs; self-contained, so it can run on a worker thread. */
export interface FitInput {
  spec: MemberSpec;
  /** Where the member's settings are written in the config file, for errors. */
  positions?: Partial<Record<'model' | 'module' | 'path', SourcePosition>>;
  train: Dataset;
  /** Rows for validation metrics and early stopping; absent or empty turns both off. */
  validation?: Dataset;
  /** Indices into `train` (may repeat: bootstrap); default all rows. */
  rows?: Int32Array;
  /** Loss weight per entry of `rows` (or per train row); only kinds that take weights. */
  sampleWeights?: Float32Array;
  /**
   * Targets to fit with squared error instead of `train.y`, `width` values per train row
   * (gradient boosting's residuals). The model then has `width` linear outputs.
   */
  targets?: { values: Float32Array; width: number };
  training: TrainingConfig;
  seed: number;
  /** Start from these weights instead of the seeded initialization (networks only). */
  initialWeights?: NetworkWeights;
  /** Fusion: build one network of these members' networks, their outputs averaged. */
  branches?: MemberSpec[];
  logger: Logger;
  shouldStop?: () => boolean;
  /** Called after each epoch; returning `'stop'` ends training there (a pruned sweep trial). */
  onEpoch?: (log: EpochLog) => 'stop' | void;
}

/** A fitted member and how its training went (a tree reports one "epoch"). */
export interface FitOutput {
  model: TrainedModel;
  result: TrainResult;
  /** What the fit adds to the member's report (the pruning curve). */
  details?: Pick<MemberReport, 'pruning'>;
}

/**
 * One member kind: how it fits, how a saved one is read back, and what it can learn from.
 * A new kind is a new module registered in `kinds.ts`.
 */
export interface MemberKindModule {
  /** Whether `fit` honours `sampleWeights`; AdaBoost resamples rows for kinds that do not. */
  takesSampleWeights: boolean;
  /** Whether `fit` can fit `targets` (gradient boosting's residuals). */
  fitsTargets: boolean;
  /** The file in a member folder whose presence means a saved model is there. */
  savedFile: string;
  fit(input: FitInput): Promise<FitOutput>;
  load(dir: string): Promise<TrainedModel>;
}
