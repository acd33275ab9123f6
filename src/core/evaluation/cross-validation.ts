import type { EnsembleConfig } from '../config/types';
import { prepareFolds } from '../data/folds';
import type { PreparedData } from '../data/types';
import { score, type MemberOutputs } from '../ensembles/evaluate';
import { methodModule } from '../ensembles/methods';
import { MemberFailed, type MemberPlan, type MethodContext } from '../ensembles/plan';
import { settleAtOnce } from '../ensembles/planned';
import { UserError } from '../errors';
import type { Logger } from '../log';
import { Rng } from '../random';
import { trainInMemory, type MemberFit } from './train-in-memory';
import type { CrossValidationReport, FoldScores } from './types';

/**
 * Where an evaluation that trains the ensemble again fits its members: with `fit` (the
 * trainer's worker threads), up to `parallel` members at once. Without it, members train on
 * this thread one after another.
 */
export interface Retraining {
  fit: MemberFit;
  parallel: number;
}

/**
 * k-fold cross-validation of the whole ensemble: the config's method runs k times, each time
 * on the rows outside one fold (preprocessing fitted on them), and is scored on that fold.
 * Members are trained in memory and not kept; the run's own members are trained separately.
 * With `retraining`, up to `parallel` folds run at once (and each fold's method may train its
 * members at once): every fold has its own data and seed, so the scores do not change.
 */
export async function crossValidate(
  config: EnsembleConfig,
  seed: number,
  logger: Logger,
  retraining?: Retraining,
): Promise<CrossValidationReport | undefined> {
  const settings = config.evaluation.crossValidation;
  if (!settings) return undefined;

  const folds = await prepareFolds(config.data, seed, logger, {
    ...settings,
    sourceFile: config.configPath,
    sampleWeightColumn: config.training.sampleWeightColumn,
  });
  const settled = await settleAtOnce(folds, retraining?.parallel ?? 1, (data, fold) => {
    logger.log('info', `cross-validation: fold ${fold + 1} of ${folds.length}`);
    return scoreFold(config, { data, fold, seed }, logger, retraining);
  });

  const perFold = settled.map((s) => {
    if (s.status === 'rejected') throw s.reason;
    return s.value;
  });
  return { ...settings, perFold, ...summarize(perFold.map((f) => f.metrics)) };
}

async function scoreFold(
  config: EnsembleConfig,
  { data, fold, seed }: { data: PreparedData; fold: number; seed: number },
  logger: Logger,
  retraining: Retraining | undefined,
): Promise<FoldScores> {
  const rng = new Rng(seed).fork(`fold-${fold}`);
  const context = inMemoryContext(config, data, rng, logger, retraining);
  const result = await methodModule(config.ensemble.method).run(context);
  if (result.members.length === 0)
    throw new UserError(
      `no member of "${config.name}" trained in cross-validation fold ${fold + 1}`,
    );

  return {
    fold,
    train: data.train.rows,
    validation: data.validation.rows,
    test: data.test.rows,
    metrics: score(data.test, result.combined.test).metrics,
  };
}

/**
 * A method context whose members train in memory on `data` and are not kept: on this thread
 * one after another, or with `retraining`'s fit, up to its `parallel` at once.
 */
export function inMemoryContext(
  config: EnsembleConfig,
  data: PreparedData,
  rng: Rng,
  logger: Logger,
  retraining?: Retraining,
): MethodContext {
  const trainMember = async (plan: MemberPlan): Promise<MemberOutputs> => {
    try {
      return await trainInMemory(plan, config, data, logger, retraining?.fit);
    } catch (error) {
      throw new MemberFailed(plan.name, error instanceof Error ? error.message : String(error));
    }
  };
  const importRun = (): Promise<MemberOutputs[]> =>
    Promise.reject(
      new UserError(
        'evaluation.crossValidation and evaluation.biasVariance re-train the ensemble, which ' +
          'members imported from earlier runs cannot be; remove one or the other',
      ),
    );
  const parallel = retraining?.parallel ?? 1;
  return { config, data, rng, logger, trainMember, importRun, parallel };
}

/** Mean and sample standard deviation of each metric present in every fold. */
export function summarize(
  folds: Record<string, number>[],
): Pick<CrossValidationReport, 'mean' | 'std'> {
  const names = Object.keys(folds[0] ?? {}).filter((name) => folds.every((f) => name in f));
  const mean: Record<string, number> = {};
  const std: Record<string, number> = {};

  for (const name of names) {
    const values = folds.map((f) => f[name]);
    mean[name] = values.reduce((s, v) => s + v, 0) / values.length;
    const squares = values.reduce((s, v) => s + (v - mean[name]) ** 2, 0);
    std[name] = values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0;
  }
  return { mean, std };
}
