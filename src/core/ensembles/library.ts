import { errorAt } from '../config/error-at';
import type { EnsembleConfig } from '../config/types';
import type { Dataset } from '../data/types';
import { UserError } from '../errors';
import { METRIC_DIRECTION } from '../metrics';
import { combine } from './combine';
import { score, type MemberOutputs } from './evaluate';
import { planAllRows, type MethodContext } from './plan';
import { trainEach } from './planned';

/**
 * The members that ensemble selection and pruning choose from: this config's members, each
 * trained on all training rows, and the finished members of the earlier runs the config
 * names (copied into this run, so it stays whole on its own).
 */
export async function buildLibrary(
  context: MethodContext,
  runs: { list: string[]; at: string },
): Promise<MemberOutputs[]> {
  const { config, data } = context;
  // Earlier runs first: a wrong reference fails the run before anything trains.
  const imported: MemberOutputs[] = [];
  for (const [i, ref] of runs.list.entries())
    imported.push(...(await context.importRun(ref, `${runs.at}[${i}]`)));
  const own = await trainEach(
    context,
    planAllRows({ config, train: data.train, rng: context.rng }),
  );

  const library = [...own, ...imported];
  if (library.length === 0) throw new UserError('the library to choose members from is empty');
  return library;
}

/** Scores combined validation outputs by one metric; `better(a, b)` says whether a beats b. */
export interface ValidationScorer {
  metric: string;
  score(outputs: Float32Array): number;
  better(a: number, b: number): boolean;
}

/** A scorer on the validation rows; a config without them, or a metric of the other task, is an error. */
export function validationScorer(
  config: EnsembleConfig,
  validation: Dataset,
  metric: string,
  at: string,
): ValidationScorer {
  if (validation.rows === 0) {
    throw errorAt(
      config,
      'data.validation.fraction',
      `method "${config.ensemble.method}" ranks members on validation rows; set data.validation.fraction above 0`,
    );
  }
  const probe = score(validation, new Float32Array(validation.rows * width(validation)));
  if (!(metric in probe.metrics)) {
    throw errorAt(
      config,
      at,
      `metric "${metric}" does not apply to a ${validation.task} target; use one of ${Object.keys(probe.metrics).join(', ')}`,
    );
  }
  const higher = METRIC_DIRECTION[metric] === 'higher';
  return {
    metric,
    score: (outputs) => score(validation, outputs).metrics[metric],
    better: (a, b) => (higher ? a > b : a < b),
  };
}

/** The (weighted) average of some members' validation outputs: soft vote or mean. */
export function averageValidation(members: MemberOutputs[], weights?: number[]): Float32Array {
  const outputs = members.map((m) => {
    if (!m.validation) throw new Error(`member "${m.plan.name}" has no validation outputs`);
    return m.validation;
  });
  return combine('mean', outputs, 1, weights);
}

/** The default metric to rank by: log loss for classes, RMSE for values. */
export function defaultRankMetric(validation: Dataset): string {
  return validation.task === 'classification' ? 'log-loss' : 'rmse';
}

function width(data: Dataset): number {
  return data.task === 'classification' ? data.classes.length : 1;
}
