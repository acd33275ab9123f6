import type { EnsembleConfig } from '../config/types';
import type { PreparedData } from '../data/types';
import type { MethodResult } from '../ensembles/plan';
import type { Logger } from '../log';
import { Rng } from '../random';
import type { RunReport } from '../runs/report';
import { biasVariance } from './bias-variance';
import { crossValidate, type Retraining } from './cross-validation';
import { imbalanceOf, tuneThreshold } from './imbalance';
import { metricIntervals } from './intervals';
import { temperatureScaling } from './temperature';

/** The report's evaluation sections beyond the holdout scores, as the config asks for them. */
export type EvaluationSections = Pick<
  RunReport,
  'intervals' | 'calibration' | 'crossValidation' | 'imbalance' | 'threshold' | 'biasVariance'
> & { headline?: string };

/**
 * Bootstrap intervals on the ensemble's test metrics, temperature scaling and k-fold
 * cross-validation of the whole ensemble (which trains the method k more times, with
 * `retraining` when given: see {@link crossValidate}).
 */
export async function evaluationSections(
  config: EnsembleConfig,
  data: PreparedData,
  result: MethodResult,
  seed: number,
  logger: Logger,
  retraining?: Retraining,
): Promise<EvaluationSections> {
  const rng = new Rng(seed).fork('evaluation');
  const intervals = metricIntervals(
    data.test,
    result.combined.test,
    config.evaluation.bootstrap,
    rng.fork('bootstrap'),
  );
  const calibration = calibrate(config, data, result, logger);
  const imbalance = imbalanceOf(data.train, data.test, result.combined.test);
  const threshold = thresholdOf(config, data, result);
  const crossValidation = await crossValidate(config, seed, logger, retraining);
  const decomposition = await biasVariance(config, data, seed, logger);

  return {
    ...(intervals ? { intervals } : {}),
    ...(calibration ? { calibration } : {}),
    ...(crossValidation ? { crossValidation } : {}),
    ...(imbalance ? { imbalance, headline: imbalance.leading[0] } : {}),
    ...(threshold ? { threshold } : {}),
    ...(decomposition ? { biasVariance: decomposition } : {}),
  };
}

function thresholdOf(
  config: EnsembleConfig,
  data: PreparedData,
  result: MethodResult,
): RunReport['threshold'] {
  const validation = result.combined.validation;
  if (!config.evaluation.tuneThreshold || !validation || data.validation.rows === 0) return;
  return tuneThreshold(data, { validation, test: result.combined.test });
}

function calibrate(
  config: EnsembleConfig,
  data: PreparedData,
  result: MethodResult,
  logger: Logger,
): RunReport['calibration'] {
  if (!config.evaluation.calibration?.temperature || data.test.task !== 'classification') return;
  const validation = result.combined.validation;
  if (!validation || data.validation.rows === 0) {
    logger.log('warn', 'temperature scaling needs validation rows; it was skipped');
    return undefined;
  }
  const report = temperatureScaling(data, { validation, test: result.combined.test });
  if (report.atLimit)
    logger.log(
      'warn',
      `the fitted temperature ${report.temperature.toPrecision(3)} is at the end of its range: ` +
        'the validation rows do not determine it; use more validation rows',
    );
  return report;
}
