import type { RawSweep } from './sweep-types';
import type {
  AdaBoostConfig,
  ColumnKind,
  CombineRule,
  EnsembleMethod,
  GradientBoostingConfig,
  PruningConfig,
  SnapshotConfig,
  PruneConfig,
  SwaConfig,
  TextConfig,
  FgeConfig,
  SelectionConfig,
  MemberKind,
  PreprocessConfig,
  Schedule,
  Task,
  TrainingConfig,
} from './types';

/*
 * The config file as a user writes it (schema/ensemble.schema.json), before defaults.
 * Only values that passed the schema are given these types.
 */

export interface RawIdxPair {
  images: string;
  labels: string;
}

export type RawTest =
  | { fraction?: number; stratify?: boolean }
  | { file: string; format?: 'csv' | 'parquet' }
  | RawIdxPair;

export interface RawData {
  train: string | RawIdxPair;
  format?: 'csv' | 'parquet';
  target?: string;
  task?: Task;
  test?: RawTest;
  validation?: { fraction?: number };
  columns?: Record<string, ColumnKind>;
  preprocess?: {
    numeric?: PreprocessConfig['numeric'];
    impute?: PreprocessConfig['impute'];
    image?: { height: number; width: number; channels?: number };
    text?: Partial<TextConfig>;
  };
}

export type RawSchedule = { type: Schedule['type'] } & Partial<
  Record<'stepSize' | 'gamma' | 'minLearningRate' | 'cycleLength', number>
>;

export type RawTraining = Partial<
  Omit<TrainingConfig, 'schedule' | 'earlyStopping'> & {
    schedule: RawSchedule;
    earlyStopping: Partial<NonNullable<TrainingConfig['earlyStopping']>>;
  }
>;

export interface RawMember {
  name?: string;
  model: MemberKind;
  count?: number;
  hidden?: number[];
  activation?: 'relu' | 'tanh' | 'sigmoid' | 'elu' | 'selu' | 'gelu';
  dropout?: number;
  batchNorm?: boolean;
  l1?: number;
  l2?: number;
  filters?: number[];
  kernelSize?: number;
  dense?: number;
  maxDepth?: number;
  minSamples?: number;
  trees?: number;
  maxFeatures?: number;
  level?: number;
  module?: string;
  options?: Record<string, unknown>;
  path?: string;
  trainable?: boolean;
  training?: RawTraining;
  prune?: Partial<PruneConfig>;
  swa?: Partial<SwaConfig>;
}

export interface RawEnsemble {
  method?: EnsembleMethod;
  combine?: CombineRule;
  weights?: number[];
  bootstrap?: boolean;
  maxSamples?: number;
  maxFeatures?: number;
  oobScore?: boolean;
  classBalanced?: boolean;
  adaboost?: Partial<AdaBoostConfig>;
  gradientBoosting?: Partial<GradientBoostingConfig>;
  selection?: Partial<SelectionConfig>;
  pruning?: Partial<PruningConfig>;
  snapshot?: Partial<SnapshotConfig>;
  fge?: Partial<FgeConfig>;
  stacking?: { folds?: number; passthrough?: boolean; meta?: Omit<RawMember, 'count' | 'level'> };
}

export interface RawConfig {
  $schema?: string;
  name?: string;
  data: RawData;
  members: RawMember[];
  training?: RawTraining;
  ensemble?: RawEnsemble;
  evaluation?: {
    metrics?: string[];
    crossValidation?: { folds?: number; stratify?: boolean };
    bootstrap?: { resamples?: number; level?: number };
    calibration?: { temperature?: boolean };
    tuneThreshold?: boolean;
    biasVariance?: { rounds?: number };
  };
  sweep?: RawSweep;
}
