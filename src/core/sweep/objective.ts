import type { SweepObjective } from '../config/sweep-types';
import type { Task } from '../config/types';
import { headlineMetric, METRIC_DIRECTION } from '../metrics/names';
import type { RunReport } from '../runs/report';
import type { SettledObjective } from './manifest';
import type { EpochLog } from '../training/types';

export type { SettledObjective } from './manifest';

/** The objective once the task is known: the headline metric and its own direction by default. */
export function settleObjective(objective: SweepObjective, task: Task): SettledObjective {
  const metric = objective.metric ?? headlineMetric(task);
  const direction =
    objective.direction ?? (METRIC_DIRECTION[metric] === 'lower' ? 'minimize' : 'maximize');

  return { metric, split: objective.split, direction };
}

/** The ensemble's score on the objective in a run's report; undefined when it lacks it. */
export function objectiveValue(report: RunReport, objective: SettledObjective): number | undefined {
  const metrics =
    objective.split === 'test' ? report.ensemble.metrics : report.ensemble.validationMetrics;
  const value = metrics?.[objective.metric];
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

/** What a trial's intermediate scores are: its members' validation accuracy or loss. */
export type IntermediateMetric = 'valAccuracy' | 'valLoss';

/**
 * The score pruners watch after each epoch. Members report only their validation loss and
 * accuracy per epoch: classification objectives where higher is better are followed by
 * validation accuracy, every other objective by validation loss.
 */
export function intermediateScore(
  log: Pick<EpochLog, 'valLoss' | 'valAccuracy'>,
  objective: SweepObjective,
): { metric: IntermediateMetric; value: number } | undefined {
  const higher = objective.metric === undefined || METRIC_DIRECTION[objective.metric] === 'higher';
  const wantsAccuracy = higher && objective.direction !== 'minimize';
  if (wantsAccuracy && log.valAccuracy !== undefined) {
    return { metric: 'valAccuracy', value: log.valAccuracy };
  }
  return log.valLoss === undefined ? undefined : { metric: 'valLoss', value: log.valLoss };
}

/** An intermediate score as a loss: accuracy negated, so that lower is better for both. */
export function intermediateLoss(metric: IntermediateMetric, value: number): number {
  return metric === 'valAccuracy' ? -value : value;
}
