import { UserError, UserErrors } from '../errors';
import { defaultCombine, defaultMetrics } from './defaults';
import type { CombineRule, ConfigPosition, EnsembleConfig, Task, TrainingConfig } from './types';

/** A task mismatch, keyed by the JSON path of the setting to change. */
export interface TaskMismatch {
  key: string;
  message: string;
}

const COMBINE_TASK: Record<CombineRule, Task> = {
  'soft-vote': 'classification',
  'hard-vote': 'classification',
  weighted: 'classification',
  mean: 'regression',
  median: 'regression',
};

const REGRESSION_METRICS = new Set(['mse', 'rmse', 'mae', 'r2']);

/**
 * Checks the settings that only make sense for one task against the task of the data, and
 * settles the defaults that depend on it. Call it once the task is known (inferred from the
 * target column when the config does not say it).
 *
 * It fills in place `data.task`, and the combine rule and metrics when the file did not name
 * them (judged by `positions`), so the config written with the run is the one trained.
 * Throws UserError (UserErrors for several) at the setting to change, e.g.
 * `combine "soft-vote" needs a classification target, but "progression" is numeric
 * (regression); use "mean" or "median", or set data.task`.
 */
export function checkTaskCompatibility(
  config: EnsembleConfig,
  task: Task,
  positions: Record<string, ConfigPosition> | undefined = config.positions,
): EnsembleConfig {
  const written = (key: string): boolean => !positions || key in positions;
  const mismatches = taskMismatches(config, task, written);
  if (mismatches.length > 0) throw taskError(config, mismatches, positions);

  if (!written('ensemble.combine')) config.ensemble.combine = defaultCombine(task);
  if (!written('evaluation.metrics')) config.evaluation.metrics = defaultMetrics(task);
  config.data.task = task;

  return config;
}

function taskError(
  config: EnsembleConfig,
  mismatches: TaskMismatch[],
  positions: Record<string, ConfigPosition> | undefined,
): UserError {
  const errors = mismatches.map((m) => {
    const fallback = m.key === 'ensemble.combine' ? 'ensemble.method' : m.key;
    const at = positions?.[m.key] ?? positions?.[fallback];
    const where = at ? { line: at.line, column: at.column } : {};
    return new UserError(m.message, { file: config.configPath, ...where });
  });

  return errors.length === 1 ? errors[0] : new UserErrors(errors);
}

/**
 * Every setting written in the config that does not fit `task`; `written(key)` says whether
 * the file named a setting (defaults never mismatch: they follow the task).
 */
export function taskMismatches(
  config: EnsembleConfig,
  task: Task,
  written: (key: string) => boolean,
): TaskMismatch[] {
  const reason = taskReason(config, task);
  const mismatches: TaskMismatch[] = [];
  const { combine } = config.ensemble;
  if (written('ensemble.combine') && COMBINE_TASK[combine] !== task) {
    const fix =
      task === 'regression' ? '"mean" or "median"' : '"soft-vote", "hard-vote" or "weighted"';
    const needs = COMBINE_TASK[combine];
    const message = `combine "${combine}" needs a ${needs} target, but ${reason}; use ${fix}`;
    mismatches.push({ key: 'ensemble.combine', message: message + setTaskHint(config) });
  }
  if (
    task === 'regression' &&
    written('ensemble.method') &&
    config.ensemble.method === 'adaboost'
  ) {
    const message = `method "adaboost" (SAMME) needs a classification target, but ${reason}`;
    mismatches.push({ key: 'ensemble.method', message: message + setTaskHint(config) });
  }
  if (task === 'regression') mismatches.push(...regressionMismatches(config, reason, written));
  mismatches.push(...metricMismatches(config, task, reason, written));

  return mismatches;
}

function regressionMismatches(
  config: EnsembleConfig,
  reason: string,
  written: (key: string) => boolean,
): TaskMismatch[] {
  const hint = setTaskHint(config);
  const blocks: [string, Partial<TrainingConfig>][] = [['training', config.training]];
  config.members.forEach((m) =>
    blocks.push([`members[${m.source?.index ?? 0}].training`, m.training]),
  );
  const mismatches = new Map<string, string>();
  for (const [at, training] of blocks) {
    if (training.earlyStopping?.monitor === 'accuracy' && written(`${at}.earlyStopping.monitor`)) {
      mismatches.set(
        `${at}.earlyStopping.monitor`,
        `early stopping cannot monitor "accuracy" because ${reason}; monitor "loss"${hint}`,
      );
    }
    if (training.classWeights !== undefined && written(`${at}.classWeights`)) {
      mismatches.set(
        `${at}.classWeights`,
        `"classWeights" needs classes, but ${reason}; remove it${hint}`,
      );
    }
  }

  return [...mismatches].map(([key, message]) => ({ key, message }));
}

function metricMismatches(
  config: EnsembleConfig,
  task: Task,
  reason: string,
  written: (key: string) => boolean,
): TaskMismatch[] {
  const needs: Task = task === 'regression' ? 'classification' : 'regression';
  const fix = task === 'regression' ? 'mse, rmse, mae or r2' : 'a classification metric';

  return config.evaluation.metrics.flatMap((metric, i) => {
    const key = `evaluation.metrics[${i}]`;
    if (REGRESSION_METRICS.has(metric) === (task === 'regression') || !written(key)) return [];
    const message = `metric "${metric}" needs a ${needs} target, but ${reason}; use ${fix}`;
    return [{ key, message: message + setTaskHint(config) }];
  });
}

function taskReason(config: EnsembleConfig, task: Task): string {
  if (config.data.task) return `data.task is "${config.data.task}"`;
  const target = `"${config.data.target}"`;
  return task === 'regression'
    ? `${target} is numeric (regression)`
    : `${target} holds classes (classification)`;
}

function setTaskHint(config: EnsembleConfig): string {
  return config.data.task ? '' : ', or set data.task';
}
