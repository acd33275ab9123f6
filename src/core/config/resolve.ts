import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';
import {
  ADABOOST_DEFAULTS,
  BAGGING_DEFAULTS,
  DATA_DEFAULTS,
  EARLY_STOPPING_DEFAULTS,
  EVALUATION_DEFAULTS,
  FGE_DEFAULTS,
  SNAPSHOT_DEFAULTS,
  TEXT_DEFAULTS,
  GRADIENT_BOOSTING_DEFAULTS,
  PRUNING_DEFAULTS,
  SELECTION_DEFAULTS,
  STACKING_DEFAULTS,
  IMAGE_CHANNELS_DEFAULT,
  MEMBER_DEFAULTS,
  METHOD_DEFAULT,
  PREPROCESS_DEFAULTS,
  SCHEDULE_DEFAULTS,
  TRAINING_DEFAULTS,
  defaultCombine,
  defaultMetrics,
} from './defaults';
import type {
  RawConfig,
  RawData,
  RawEnsemble,
  RawMember,
  RawSchedule,
  RawTest,
  RawTraining,
} from './raw';
import type {
  DataConfig,
  DataSource,
  EnsembleConfig,
  EnsembleSpec,
  EvaluationConfig,
  MemberSpec,
  Schedule,
  Task,
  TestSplit,
  TrainingConfig,
} from './types';

/**
 * Turns a config that passed the schema into the resolved shape: defaults applied, paths
 * absolute (relative ones are relative to the config file's folder), `count` expanded.
 */
export function resolveConfig(raw: RawConfig, configPath: string): EnsembleConfig {
  const dir = dirname(configPath);
  const task = raw.data.task;

  return {
    name: raw.name ?? experimentName(configPath),
    configPath,
    data: resolveData(raw.data, dir),
    members: raw.members.flatMap((m, i) => expandMember(m, i, dir)),
    training: { ...TRAINING_DEFAULTS, ...resolveTrainingOverrides(raw.training ?? {}) },
    ensemble: resolveEnsemble(raw, task, dir),
    evaluation: resolveEvaluation(raw.evaluation, task),
  };
}

/** `digits-bagging.ensemble.json` is the experiment `digits-bagging`. */
export function experimentName(configPath: string): string {
  return basename(configPath).replace(/(\.ensemble)?\.jsonc?$/i, '');
}

/** The table format a file's extension says; CSV when it says nothing known. */
export function formatOfPath(path: string): 'csv' | 'parquet' | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  return ext === '.csv' ? 'csv' : undefined;
}

function resolveData(raw: RawData, dir: string): DataConfig {
  const preprocess = raw.preprocess ?? {};
  const image = preprocess.image;

  return {
    train: resolveSource(raw.train, raw.format, dir),
    target: raw.target ?? DATA_DEFAULTS.idxTarget,
    ...(raw.task ? { task: raw.task } : {}),
    test: resolveTest(raw.test, raw.format, dir),
    validationFraction: raw.validation?.fraction ?? DATA_DEFAULTS.validationFraction,
    columns: { ...raw.columns },
    preprocess: {
      numeric: preprocess.numeric ?? PREPROCESS_DEFAULTS.numeric,
      impute: preprocess.impute ?? PREPROCESS_DEFAULTS.impute,
      text: { ...TEXT_DEFAULTS, ...preprocess.text },
      ...(image ? { image: { ...image, channels: image.channels ?? IMAGE_CHANNELS_DEFAULT } } : {}),
    },
  };
}

function resolveSource(
  source: string | { images: string; labels: string },
  format: 'csv' | 'parquet' | undefined,
  dir: string,
): DataSource {
  if (typeof source !== 'string') {
    return {
      kind: 'idx',
      images: absolute(source.images, dir),
      labels: absolute(source.labels, dir),
    };
  }
  return {
    kind: 'table',
    path: absolute(source, dir),
    format: format ?? formatOfPath(source) ?? 'csv',
  };
}

function resolveTest(
  test: RawTest | undefined,
  format: 'csv' | 'parquet' | undefined,
  dir: string,
): TestSplit {
  if (test && 'file' in test) {
    return { kind: 'source', source: resolveSource(test.file, test.format ?? format, dir) };
  }
  if (test && 'images' in test) return { kind: 'source', source: resolveSource(test, format, dir) };

  return {
    kind: 'fraction',
    fraction: test?.fraction ?? DATA_DEFAULTS.testFraction,
    stratify: test?.stratify ?? DATA_DEFAULTS.stratify,
  };
}

function absolute(path: string, dir: string): string {
  return isAbsolute(path) ? path : resolve(dir, path);
}

/** One spec per trained network: `count: 3` on `mlp` gives `mlp-1`, `mlp-2`, `mlp-3`. */
function expandMember(raw: RawMember, index: number, dir: string): MemberSpec[] {
  const name = raw.name ?? raw.model;
  const count = raw.count ?? 1;
  const spec = memberSpec(raw, name, dir);
  if (count === 1) return [{ ...spec, source: { index } }];

  return Array.from({ length: count }, (_, i) => ({
    ...memberSpec(raw, `${name}-${i + 1}`, dir),
    source: { index, copy: i + 1 },
  }));
}

function memberSpec(raw: RawMember, name: string, dir: string): MemberSpec {
  return {
    name,
    model: raw.model,
    hidden: [...(raw.hidden ?? MEMBER_DEFAULTS.hidden)],
    activation: raw.activation ?? MEMBER_DEFAULTS.activation,
    dropout: raw.dropout ?? MEMBER_DEFAULTS.dropout,
    batchNorm: raw.batchNorm ?? MEMBER_DEFAULTS.batchNorm,
    l1: raw.l1 ?? MEMBER_DEFAULTS.l1,
    l2: raw.l2 ?? MEMBER_DEFAULTS.l2,
    filters: [...(raw.filters ?? MEMBER_DEFAULTS.filters)],
    kernelSize: raw.kernelSize ?? MEMBER_DEFAULTS.kernelSize,
    dense: raw.dense ?? MEMBER_DEFAULTS.dense,
    ...treeOptions(raw),
    ...ownModelOptions(raw, dir),
    level: raw.level ?? 1,
    training: resolveTrainingOverrides(raw.training ?? {}),
    ...(raw.swa ? { swa: { epochs: 5, ...raw.swa } } : {}),
    ...(raw.prune ? { prune: { sparsity: 0.8, steps: 3, fineTuneEpochs: 2, ...raw.prune } } : {}),
  };
}

/** The options of custom and saved members, with their files made absolute. */
function ownModelOptions(
  raw: RawMember,
  dir: string,
): Pick<MemberSpec, 'module' | 'options' | 'path' | 'trainable'> {
  return {
    ...(raw.module ? { module: absolute(raw.module, dir) } : {}),
    options: { ...raw.options },
    ...(raw.path ? { path: absolute(raw.path, dir) } : {}),
    trainable: raw.trainable ?? false,
  };
}

/** The options of tree and forest members. */
function treeOptions(
  raw: RawMember,
): Pick<MemberSpec, 'maxDepth' | 'minSamples' | 'trees' | 'maxFeatures'> {
  return {
    ...(raw.maxDepth !== undefined ? { maxDepth: raw.maxDepth } : {}),
    minSamples: raw.minSamples ?? MEMBER_DEFAULTS.minSamples,
    trees: raw.trees ?? MEMBER_DEFAULTS.trees,
    maxFeatures: raw.maxFeatures ?? MEMBER_DEFAULTS.maxFeatures,
  };
}

function resolveStacking(raw: RawEnsemble['stacking'], dir: string): EnsembleSpec['stacking'] {
  const meta = raw?.meta ?? STACKING_DEFAULTS.meta;
  return {
    folds: raw?.folds ?? STACKING_DEFAULTS.folds,
    passthrough: raw?.passthrough ?? STACKING_DEFAULTS.passthrough,
    meta: memberSpec(meta, meta.name ?? STACKING_DEFAULTS.meta.name, dir),
  };
}

/**
 * The settings a `training` block gives, with its schedule and early stopping made whole;
 * settings it leaves out stay out, so a member's block overrides only what it names.
 */
export function resolveTrainingOverrides(raw: RawTraining): Partial<TrainingConfig> {
  const { schedule, earlyStopping, ...plain } = raw;
  const resolved: Partial<TrainingConfig> = { ...plain };
  if (schedule) resolved.schedule = resolveSchedule(schedule);
  if (earlyStopping) resolved.earlyStopping = { ...EARLY_STOPPING_DEFAULTS, ...earlyStopping };

  return resolved;
}

function resolveSchedule(raw: RawSchedule): Schedule {
  switch (raw.type) {
    case 'constant':
      return { type: 'constant' };
    case 'step':
      return { ...SCHEDULE_DEFAULTS.step, ...raw, type: 'step' };
    case 'cosine':
      return { ...SCHEDULE_DEFAULTS.cosine, ...raw, type: 'cosine' };
    case 'cyclic':
      return { ...SCHEDULE_DEFAULTS.cyclic, ...raw, type: 'cyclic' };
  }
}

function resolveEnsemble(raw: RawConfig, task: RawData['task'], dir: string): EnsembleSpec {
  const e = raw.ensemble ?? {};

  return {
    method: e.method ?? METHOD_DEFAULT,
    combine: e.combine ?? defaultCombine(task),
    ...(e.weights ? { weights: [...e.weights] } : {}),
    bagging: {
      bootstrap: e.bootstrap ?? BAGGING_DEFAULTS.bootstrap,
      maxSamples: e.maxSamples ?? BAGGING_DEFAULTS.maxSamples,
      maxFeatures: e.maxFeatures ?? BAGGING_DEFAULTS.maxFeatures,
      oobScore: e.oobScore ?? BAGGING_DEFAULTS.oobScore,
      classBalanced: e.classBalanced ?? false,
    },
    adaboost: { ...ADABOOST_DEFAULTS, ...e.adaboost },
    gradientBoosting: { ...GRADIENT_BOOSTING_DEFAULTS, ...e.gradientBoosting },
    stacking: resolveStacking(e.stacking, dir),
    selection: { ...SELECTION_DEFAULTS, ...e.selection, runs: [...(e.selection?.runs ?? [])] },
    pruning: { ...PRUNING_DEFAULTS, ...e.pruning, runs: [...(e.pruning?.runs ?? [])] },
    snapshot: { ...SNAPSHOT_DEFAULTS, ...e.snapshot },
    fge: { ...FGE_DEFAULTS, ...e.fge },
  };
}

function resolveEvaluation(raw: RawConfig['evaluation'], task: Task | undefined): EvaluationConfig {
  const cv = raw?.crossValidation;
  return {
    metrics: raw?.metrics ?? defaultMetrics(task),
    ...(cv ? { crossValidation: { ...EVALUATION_DEFAULTS.crossValidation, ...cv } } : {}),
    bootstrap: { ...EVALUATION_DEFAULTS.bootstrap, ...raw?.bootstrap },
    calibration: { ...EVALUATION_DEFAULTS.calibration, ...raw?.calibration },
    tuneThreshold: raw?.tuneThreshold ?? false,
    ...(raw?.biasVariance ? { biasVariance: { rounds: raw.biasVariance.rounds ?? 10 } } : {}),
  };
}
