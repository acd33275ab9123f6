import type { ClassificationMetrics } from './classification';
import type { RegressionMetrics } from './regression';

/** Metric names as the config and the report spell them, classification first. */
export const CLASSIFICATION_METRIC_NAMES = [
  'accuracy',
  'balanced-accuracy',
  'precision-macro',
  'recall-macro',
  'f1-macro',
  'precision-weighted',
  'recall-weighted',
  'f1-weighted',
  'roc-auc',
  'pr-auc',
  'log-loss',
  'brier',
  'ece',
] as const;

/** Metric names of regression tasks. */
export const REGRESSION_METRIC_NAMES = ['mse', 'rmse', 'mae', 'r2'] as const;

/** Whether a larger value of each metric is better ('higher') or worse ('lower'). */
export const METRIC_DIRECTION: Record<string, 'higher' | 'lower'> = {
  accuracy: 'higher',
  'balanced-accuracy': 'higher',
  'precision-macro': 'higher',
  'recall-macro': 'higher',
  'f1-macro': 'higher',
  'precision-weighted': 'higher',
  'recall-weighted': 'higher',
  'f1-weighted': 'higher',
  'roc-auc': 'higher',
  'pr-auc': 'higher',
  'log-loss': 'lower',
  brier: 'lower',
  ece: 'lower',
  mse: 'lower',
  rmse: 'lower',
  mae: 'lower',
  r2: 'higher',
};

/** The scalar classification metrics under their config names (no per-class or confusion). */
export function flattenClassification(m: ClassificationMetrics): Record<string, number> {
  return {
    accuracy: m.accuracy,
    'balanced-accuracy': m.balancedAccuracy,
    'precision-macro': m.precisionMacro,
    'recall-macro': m.recallMacro,
    'f1-macro': m.f1Macro,
    'precision-weighted': m.precisionWeighted,
    'recall-weighted': m.recallWeighted,
    'f1-weighted': m.f1Weighted,
    'roc-auc': m.rocAuc,
    'pr-auc': m.prAuc,
    'log-loss': m.logLoss,
    brier: m.brier,
    ece: m.ece,
  };
}

/** The regression metrics under their config names. */
export function flattenRegression(m: RegressionMetrics): Record<string, number> {
  return { mse: m.mse, rmse: m.rmse, mae: m.mae, r2: m.r2 };
}

/** The metric a leaderboard ranks by when the config names none. */
export function headlineMetric(task: 'classification' | 'regression'): string {
  return task === 'classification' ? 'accuracy' : 'r2';
}
