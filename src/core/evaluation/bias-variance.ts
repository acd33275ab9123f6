import type { EnsembleConfig } from '../config/types';
import { subsetDataset } from '../data/prepare';
import type { Dataset, PreparedData } from '../data/types';
import { methodModule } from '../ensembles/methods';
import type { Logger } from '../log';
import { argmaxRows } from '../metrics';
import { Rng } from '../random';
import { inMemoryContext } from './cross-validation';
import { trainInMemory } from './train-in-memory';
import type { BiasVarianceParts, BiasVarianceReport } from './types';

/**
 * The bias-variance decomposition of the ensemble's test loss against one member's: the
 * training rows are bootstrapped `rounds` times; on each resample the whole ensemble and the
 * config's first member alone are trained, and both predict the test rows. Squared loss for
 * regression; 0-1 loss for classification, decomposed as Domingos (2000) does.
 */
export async function biasVariance(
  config: EnsembleConfig,
  data: PreparedData,
  seed: number,
  logger: Logger,
): Promise<BiasVarianceReport | undefined> {
  const settings = config.evaluation.biasVariance;
  if (!settings) return undefined;

  const rng = new Rng(seed).fork('bias-variance');
  const single: Float32Array[] = [];
  const ensemble: Float32Array[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    logger.log('info', `bias-variance: round ${round + 1} of ${settings.rounds}`);
    const roundRng = rng.fork(`round-${round}`);
    const resampled = { ...data, train: bootstrap(data.train, roundRng) };
    const outputs = await trainRound(config, resampled, roundRng, logger);
    single.push(outputs.single);
    ensemble.push(outputs.ensemble);
  }

  const decompose = (predictions: Float32Array[]) => decomposition(data.test, predictions);
  const member = config.members[0].name;
  return {
    rounds: settings.rounds,
    member,
    single: decompose(single),
    ensemble: decompose(ensemble),
  };
}

async function trainRound(config: EnsembleConfig, data: PreparedData, rng: Rng, logger: Logger) {
  const context = inMemoryContext(config, data, rng.fork('ensemble'), logger);
  const result = await methodModule(config.ensemble.method).run(context);
  const spec = config.members[0];
  const plan = { name: spec.name, spec, seed: rng.fork('single').nextUint32() };
  const alone = await trainInMemory(plan, config, data, logger);
  return { single: alone.test, ensemble: result.combined.test };
}

function bootstrap(train: Dataset, rng: Rng): Dataset {
  return subsetDataset(
    train,
    Int32Array.from({ length: train.rows }, () => rng.int(train.rows)),
  );
}

/** The decomposition that fits the task, from each round's outputs on the test rows. */
export function decomposition(test: Dataset, predictions: Float32Array[]): BiasVarianceParts {
  if (test.task === 'regression') return squaredLoss(test.y, predictions);
  const width = test.classes.length;
  return zeroOneLoss(
    test.y,
    predictions.map((p) => argmaxRows(p, width)),
    width,
  );
}

/**
 * Squared loss: per test row, bias² = (mean prediction − y)² and variance = the mean squared
 * distance of the rounds' predictions from their mean; the expected loss is their sum
 * (the label's noise is inside the bias, as one label per row cannot separate it).
 */
export function squaredLoss(y: ArrayLike<number>, predictions: Float32Array[]): BiasVarianceParts {
  const rounds = predictions.length;
  let [loss, bias, variance] = [0, 0, 0];
  for (let r = 0; r < y.length; r++) {
    const values = predictions.map((p) => p[r]);
    const mean = values.reduce((s, v) => s + v, 0) / rounds;
    loss += values.reduce((s, v) => s + (v - y[r]) ** 2, 0) / rounds;
    bias += (mean - y[r]) ** 2;
    variance += values.reduce((s, v) => s + (v - mean) ** 2, 0) / rounds;
  }
  const n = y.length;
  return { loss: loss / n, bias: bias / n, variance: variance / n, netVariance: variance / n };
}

/**
 * 0-1 loss (Domingos): the main prediction of a row is its most frequent prediction; bias is
 * 1 where that is wrong; variance is the share of rounds that differ from it. Variance adds
 * to the loss on unbiased rows and takes away on biased ones (weighted by how often the
 * differing predictions are right), so loss = bias + net variance exactly.
 */
export function zeroOneLoss(
  y: ArrayLike<number>,
  predictions: Int32Array[],
  classes: number,
): BiasVarianceParts {
  const rounds = predictions.length;
  let [loss, bias, variance, net] = [0, 0, 0, 0];
  for (let r = 0; r < y.length; r++) {
    const votes = new Array<number>(classes).fill(0);
    predictions.forEach((p) => (votes[p[r]] += 1));
    const main = votes.indexOf(Math.max(...votes));
    const differ = (rounds - votes[main]) / rounds;
    const wrong = (rounds - votes[y[r]]) / rounds;
    const biased = main !== y[r];
    loss += wrong;
    bias += biased ? 1 : 0;
    variance += differ;
    net += biased ? -(votes[y[r]] / rounds) : differ;
  }
  const n = y.length;
  return { loss: loss / n, bias: bias / n, variance: variance / n, netVariance: net / n };
}
