import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { initBackend } from '../backend';
import { silentLogger } from '../log';
import { argmaxRows } from '../metrics';
import { memberSpec, readExampleCsv, subset, trainingConfig } from '../training/test-support';
import type { NetworkWeights } from './kind';
import { neuralKind } from './neural';

const digits = readExampleCsv('digits', { task: 'classification', divideBy: 16 });
const rows = Array.from({ length: digits.rows }, (_, i) => i);
const train = subset(
  digits,
  rows.filter((r) => r % 4 !== 0),
);
const heldOut = subset(
  digits,
  rows.filter((r) => r % 4 === 0),
);

before(async () => {
  await initBackend('wasm', silentLogger);
});

async function fitted(swa: boolean) {
  return neuralKind.fit({
    spec: memberSpec({ hidden: [32], batchNorm: true, ...(swa ? { swa: { epochs: 4 } } : {}) }),
    train,
    training: trainingConfig({ epochs: 8, batchSize: 32, learningRate: 0.01 }),
    seed: 2,
    logger: silentLogger,
  });
}

/** The largest distance of batch norm's moving mean from the mean of its training inputs. */
function movingMeanError(weights: NetworkWeights): number {
  // Trainable weights first (dense kernel and bias, gamma, beta, output kernel and bias),
  // then the moving mean and variance.
  const [kernel, bias, , , , , movingMean] = weights;
  const units = bias.values.length;
  const means = Array.from({ length: units }, (_, j) => {
    let sum = 0;
    for (let r = 0; r < train.rows; r++) {
      let value = bias.values[j];
      for (let f = 0; f < train.features; f++)
        value += train.x[r * train.features + f] * kernel.values[f * units + j];
      sum += value;
    }
    return sum / train.rows;
  });
  return Math.max(...means.map((m, j) => Math.abs(m - movingMean.values[j])));
}

test('without averaging, batch norm’s moving mean lags its training inputs’ mean', async () => {
  const { model } = await fitted(false);
  assert.ok(movingMeanError(model.weights?.() ?? []) > 0.01);
  model.dispose();
});

test('stochastic weight averaging of a batch-normalized MLP on digits', async (t) => {
  const { model } = await fitted(true);
  // Trainable weights first (dense kernel and bias, gamma, beta, output kernel and bias),
  // then the moving mean and variance.
  const [kernel, bias, , , , , movingMean, movingVariance] = model.weights?.() ?? [];
  const units = bias.values.length;
  const inputs = Array.from({ length: train.rows * units }, (_, k) => {
    const [r, j] = [Math.floor(k / units), k % units];
    let sum = bias.values[j];
    for (let f = 0; f < train.features; f++)
      sum += train.x[r * train.features + f] * kernel.values[f * units + j];
    return sum;
  });
  const column = (j: number) => inputs.filter((_, k) => k % units === j);

  await t.test('batch norm’s moving mean is the mean of its inputs over the training rows', () => {
    const means = Array.from({ length: units }, (_, j) => {
      const values = column(j);
      return values.reduce((s, v) => s + v, 0) / values.length;
    });
    const worst = Math.max(...means.map((m, j) => Math.abs(m - movingMean.values[j])));
    assert.ok(worst < 1e-3, `largest difference ${worst}`);
  });

  await t.test('its moving variance is the variance of those inputs', () => {
    const variances = Array.from({ length: units }, (_, j) => {
      const values = column(j);
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      return values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
    });
    const worst = Math.max(...variances.map((v, j) => Math.abs(v - movingVariance.values[j]) / v));
    assert.ok(worst < 1e-3, `largest relative difference ${worst}`);
  });

  await t.test('the averaged network classifies held-out digits', () => {
    const predicted = argmaxRows(model.predict(heldOut), 10);
    const accuracy = predicted.filter((p, r) => p === heldOut.y[r]).length / heldOut.rows;
    assert.ok(accuracy > 0.9, `accuracy ${accuracy}`);
  });

  model.dispose();
});
