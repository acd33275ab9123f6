import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { initBackend } from '../backend';
import type { MemberSpec, TrainingConfig } from '../config/types';
import type { Dataset } from '../data/types';
import { silentLogger } from '../log';
import { Rng } from '../random';
import { buildMember } from '../members/registry';
import { learningRateAt } from './schedule';
import { memberSpec, readExampleCsv, subset, trainingConfig } from './test-support';
import {
  computeClassWeights,
  evaluate,
  mergeTraining,
  predictProba,
  trainModel,
  type TrainInput,
  type TrainResult,
} from './train';

const iris = readExampleCsv('iris', { task: 'classification', standardize: true });
const digits = readExampleCsv('digits', { task: 'classification', divideBy: 16 });
const diabetes = readExampleCsv('diabetes', {
  task: 'regression',
  standardize: true,
  standardizeTarget: true,
});

before(async () => {
  await initBackend('wasm', silentLogger);
});

function build(data: Dataset, spec: Partial<MemberSpec>, seed = 1): LayersModel {
  const outputUnits = data.task === 'classification' ? data.classes.length : 1;
  const input = { spec: memberSpec(spec), inputShape: data.inputShape, outputUnits, seed };
  return buildMember({ ...input, task: data.task });
}

async function train(
  model: LayersModel,
  data: Dataset,
  config: Partial<TrainingConfig>,
  extra: Partial<TrainInput> = {},
): Promise<TrainResult> {
  const base = { model, train: data, task: data.task, seed: 1, logger: silentLogger };
  return trainModel({ ...base, config: trainingConfig(config), ...extra });
}

/** A fixed, shuffled split of a data set: the first `fraction` of rows train. */
function split(data: Dataset, fraction: number, seed: number): [Dataset, Dataset] {
  const order = new Rng(seed).shuffle(Array.from({ length: data.rows }, (_, i) => i));
  const cut = Math.round(data.rows * fraction);
  return [subset(data, order.slice(0, cut)), subset(data, order.slice(cut))];
}

function losses(result: TrainResult): number[] {
  return result.history.map((log) => log.loss);
}

test('an mlp reaches at least 0.9 training accuracy on iris', async () => {
  const model = build(iris, { hidden: [16] });
  await train(model, iris, { epochs: 30 });

  assert.ok((evaluate(model, iris).accuracy ?? 0) >= 0.9);
  model.dispose();
});

test('the same seeds give identical loss histories, dropout included', async () => {
  const runs = [];
  for (let i = 0; i < 2; i++) {
    const model = build(iris, { hidden: [16], dropout: 0.3 }, 5);
    runs.push(losses(await train(model, iris, { epochs: 5 }, { seed: 9 })));
    model.dispose();
  }

  assert.deepEqual(runs[0], runs[1]);
});

test('a different training seed (row order) gives a different loss history', async () => {
  const runs = [];
  for (const seed of [9, 10]) {
    const model = build(iris, { hidden: [16] }, 5);
    runs.push(losses(await train(model, iris, { epochs: 3 }, { seed })));
    model.dispose();
  }

  assert.notDeepEqual(runs[0], runs[1]);
});

test('early stopping stops before the last epoch and restores the best weights', async () => {
  const [fit, validation] = split(iris, 0.5, 3);
  const earlyStopping = {
    patience: 3,
    monitor: 'loss' as const,
    minDelta: 0,
    restoreBestWeights: true,
  };
  const model = build(fit, { hidden: [64, 64] });
  const result = await train(
    model,
    fit,
    { epochs: 300, learningRate: 0.03, earlyStopping },
    { validation },
  );
  const best = result.history[result.bestEpoch - 1].valLoss ?? Number.NaN;

  assert.ok(result.stoppedEarly);
  assert.ok(result.epochsRun < 300);
  assert.equal(
    result.epochsRun,
    result.bestEpoch + 4,
    'patience 3: stopped on the 4th worse epoch',
  );
  assert.ok(Math.abs(evaluate(model, validation).loss - best) < 1e-5);
  model.dispose();
});

test('the cosine schedule starts at the learning rate and ends at its minimum', async () => {
  const model = build(iris, { model: 'linear' });
  const schedule = { type: 'cosine' as const, minLearningRate: 0.001 };
  const result = await train(model, iris, { epochs: 6, learningRate: 0.05, schedule });
  const rates = result.history.map((log) => log.learningRate);

  assert.ok(Math.abs(rates[0] - 0.05) < 1e-12);
  assert.ok(Math.abs(rates[5] - 0.001) < 1e-12);
  model.dispose();
});

test('step and cyclic schedules follow their formulas', () => {
  const step = { type: 'step' as const, stepSize: 3, gamma: 0.5 };
  const cyclic = { type: 'cyclic' as const, minLearningRate: 0, cycleLength: 3 };

  assert.equal(learningRateAt(step, 0.1, 7, 10), 0.1 * 0.25);
  assert.ok(Math.abs(learningRateAt(cyclic, 0.1, 4, 10) - 0.05) < 1e-12, 'middle of 2nd cycle');
  assert.equal(learningRateAt(cyclic, 0.1, 6, 10), 0.1, 'a cycle restarts at the top');
});

for (const optimizer of ['adam', 'sgd', 'rmsprop'] as const) {
  test(`a zero learning rate from the schedule freezes the weights (${optimizer})`, async () => {
    const model = build(iris, { hidden: [8] });
    const schedule = { type: 'step' as const, stepSize: 1, gamma: 0 };
    let afterFirst: number[] = [];
    const onEpoch = (): void => {
      if (afterFirst.length === 0) afterFirst = Array.from(model.getWeights()[0].dataSync());
    };
    // RMSProp's momentum keeps moving weights after the rate drops to 0, so it runs without.
    const momentum = optimizer === 'rmsprop' ? 0 : 0.9;
    await train(model, iris, { epochs: 3, optimizer, momentum, schedule }, { onEpoch });

    assert.deepEqual(Array.from(model.getWeights()[0].dataSync()), afterFirst);
    model.dispose();
  });
}

test('a cnn on 8x8 digits lowers its loss over a few epochs', async () => {
  const images = { ...digits, inputShape: [8, 8, 1] };
  const model = build(images, { model: 'cnn', filters: [8], dense: 32, kernelSize: 3 });
  const result = await train(model, images, { epochs: 3, learningRate: 0.005, batchSize: 64 });

  assert.ok(result.history[2].loss < result.history[0].loss * 0.6);
  model.dispose();
});

test('linear regression on diabetes explains over 30% of the variance of its rows', async () => {
  const model = build(diabetes, { model: 'linear' });
  await train(model, diabetes, { epochs: 40, optimizer: 'sgd', momentum: 0.9, learningRate: 0.01 });
  const predicted = predictProba(model, diabetes);
  let residual = 0;
  let total = 0;
  for (let i = 0; i < diabetes.rows; i++) {
    residual += (predicted[i] - diabetes.y[i]) ** 2;
    total += diabetes.y[i] ** 2; // the target is standardized: its mean is 0
  }

  assert.ok(1 - residual / total > 0.3);
  model.dispose();
});

test('class weights change the loss; uniform weights do not (they are normalized)', async () => {
  const firstLoss = async (classWeights?: Record<string, number>): Promise<number> => {
    const model = build(iris, { hidden: [8] });
    const result = await train(model, iris, { epochs: 1, classWeights });
    model.dispose();
    return result.history[0].loss;
  };
  const plain = await firstLoss();

  assert.notEqual(await firstLoss({ setosa: 10 }), plain);
  assert.ok(Math.abs((await firstLoss({ setosa: 2, versicolor: 2, virginica: 2 })) - plain) < 1e-6);
});

test('balanced class weights count the rows actually trained on', () => {
  // Rows 0-49 are setosa, 50-99 versicolor: 50 + 10 rows, virginica absent.
  const rows = Int32Array.from({ length: 60 }, (_, i) => i);
  const weights = computeClassWeights(iris, rows, 'balanced');

  assert.deepEqual(Array.from(weights ?? []), [60 / (3 * 50), 60 / (3 * 10), 1].map(Math.fround));
});

test('training on rows of a data set equals training on a copy of those rows', async () => {
  const rng = new Rng(11);
  const rows = Int32Array.from({ length: iris.rows }, () => rng.int(iris.rows)); // a bootstrap
  const histories = [];
  for (const [data, picked] of [
    [iris, rows],
    [subset(iris, Array.from(rows)), undefined],
  ] as const) {
    const model = build(iris, { hidden: [8] });
    histories.push(losses(await train(model, data, { epochs: 2 }, { rows: picked })));
    model.dispose();
  }

  assert.deepEqual(histories[0], histories[1]);
});

test('sample weights of zero leave those rows out of the loss', async () => {
  const versicolor = subset(
    iris,
    Array.from({ length: 50 }, (_, i) => 50 + i),
  );
  const meanSetosaProbability = async (sampleWeights?: Float32Array): Promise<number> => {
    const model = build(iris, { hidden: [8] });
    await train(model, iris, { epochs: 10 }, { sampleWeights });
    const probabilities = predictProba(model, versicolor);
    model.dispose();
    return probabilities.reduce((sum, p, i) => (i % 3 === 0 ? sum + p : sum), 0) / 50;
  };
  const setosaOnly = Float32Array.from({ length: iris.rows }, (_, r) => (r < 50 ? 1 : 0));

  // Seeing only setosa targets, the model calls versicolor rows setosa far more often.
  assert.ok((await meanSetosaProbability(setosaOnly)) > 5 * (await meanSetosaProbability()));
});

test('batch normalization updates its moving mean while training', async () => {
  const model = build(iris, { hidden: [8], batchNorm: true });
  const movingMean = (): number[] => {
    const weight = model.weights.find((w) => w.name.includes('moving_mean'));
    return Array.from(weight?.read().dataSync() ?? []);
  };
  const before = movingMean();
  await train(model, iris, { epochs: 1 });

  assert.notDeepEqual(movingMean(), before);
  model.dispose();
});

test('a stop request between batches returns the completed epochs', async () => {
  const model = build(iris, { hidden: [8] });
  let checks = 0;
  const shouldStop = (): boolean => ++checks > 7; // 5 batches of 32 per epoch
  const result = await train(model, iris, { epochs: 10 }, { shouldStop });

  assert.equal(result.cancelled, true);
  assert.equal(result.epochsRun, 1);
  model.dispose();
});

test('training and prediction leave no tensors behind but the model weights', async () => {
  const [fit, validation] = split(iris, 0.7, 4);
  const before = tf.memory().numTensors;
  const model = build(fit, { hidden: [16], dropout: 0.2, batchNorm: true, l2: 1e-3 });
  const weights = tf.memory().numTensors - before;
  const earlyStopping = {
    patience: 2,
    monitor: 'accuracy' as const,
    minDelta: 0,
    restoreBestWeights: true,
  };
  await train(model, fit, { epochs: 8, earlyStopping, classWeights: 'balanced' }, { validation });
  predictProba(model, validation);

  assert.equal(tf.memory().numTensors, before + weights);
  model.dispose();
});

test('member overrides replace the ensemble-wide training settings they name', () => {
  const base = trainingConfig({ epochs: 10, learningRate: 0.01 });
  const merged = mergeTraining(base, { epochs: 3, learningRate: undefined });

  assert.deepEqual(merged, { ...base, epochs: 3 });
});

test('an onEpoch hook that answers "stop" ends training after that epoch', async () => {
  const model = build(iris, { hidden: [8] });
  const result = await train(
    model,
    iris,
    { epochs: 10 },
    {
      onEpoch: (log) => (log.epoch === 3 ? 'stop' : undefined),
    },
  );

  assert.deepEqual([result.epochsRun, result.stopRequested], [3, true]);
  model.dispose();
});
