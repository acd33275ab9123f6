import type { EnsembleConfig } from '../config/types';
import { prepareFolds } from '../data/folds';
import type { PreparedData } from '../data/types';
import { score, type MemberOutputs } from '../ensembles/evaluate';
import { methodModule } from '../ensembles/methods';
import { MemberFailed, type MemberPlan, type MethodContext } from '../ensembles/plan';
import { UserError } from '../errors';
import type { Logger } from '../log';
import { Rng } from '../random';
import { trainInMemory } from './train-in-memory';
import type { CrossValidationReport, FoldScores } from './types';

/**
 * k-fold cross-validation of the whole ensemble: the config's method runs k times, each time
 * on the rows outside one fold (preprocessing fitted on them), and is scored on that fold.
 * Members are trained in memory and not kept; the run's own members are trained separately.
 */
export async function crossValidate(
  config: EnsembleConfig,
  seed: number,
  logger: Logger,
): Promise<CrossValidationReport | undefined> {
  const settings = config.evaluation.crossValidation;
  if (!settings) return undefined;

  const folds = await prepareFolds(config.data, seed, logger, {
    ...settings,
    sourceFile: config.configPath,
    sampleWeightColumn: config.training.sampleWeightColumn,
  });
  const perFold: FoldScores[] = [];
  for (const [fold, data] of folds.entries()) {
    logger.log('info', `cross-validation: fold ${fold + 1} of ${folds.length}`);
    perFold.push(await scoreFold(config, data, fold, seed, logger));
  }
  return { ...settings, perFold, ...summarize(perFold.map((f) => f.metrics)) };
}

async function scoreFold(
  config: EnsembleConfig,
  data: PreparedData,
  fold: number,
  seed: number,
  logger: Logger,
): Promise<FoldScores> {
  const context = inMemoryContext(config, data, new Rng(seed).fork(`fold-${fold}`), logger);
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

/** A method context whose members train in memory on `data` and are not kept. */
export function inMemoryContext(
  config: EnsembleConfig,
  data: PreparedData,
  rng: Rng,
  logger: Logger,
): MethodContext {
  const trainMember = async (plan: MemberPlan): Promise<MemberOutputs> => {
    try {
      return await trainInMemory(plan, config, data, logger);
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
  // In memory, on this thread: the folds' members train one after another.
  return { config, data, rng, logger, trainMember, importRun, parallel: 1 };
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
