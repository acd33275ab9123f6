import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { initBackend } from '../backend';
import type { Dataset } from '../data/types';
import { silentLogger } from '../log';
import { argmaxRows } from '../metrics';
import { buildMember } from '../members/registry';
import { fgsm } from './adversarial';
import { memberSpec, readExampleCsv, subset, trainingConfig } from './test-support';
import { predictProba, trainModel } from './train';

const cancer = readExampleCsv('breast_cancer', { task: 'classification', standardize: true });
const rows = Array.from({ length: cancer.rows }, (_, i) => i);
const train = subset(
  cancer,
  rows.filter((r) => r % 2 === 0),
);
const heldOut = subset(
  cancer,
  rows.filter((r) => r % 2 === 1),
);
const EPSILON = 0.3;

before(async () => {
  await initBackend('wasm', silentLogger);
});

async function trained(adversarial: boolean): Promise<LayersModel> {
  const spec = memberSpec({ hidden: [32] });
  const model = buildMember({
    spec,
    inputShape: [30],
    outputUnits: 2,
    seed: 3,
    task: 'classification',
  });
  const config = trainingConfig({
    epochs: 30,
    batchSize: 32,
    learningRate: 0.003,
    ...(adversarial ? { adversarial: { epsilon: EPSILON } } : {}),
  });
  await trainModel({ model, train, config, task: 'classification', seed: 3, logger: silentLogger });
  return model;
}

function accuracy(model: LayersModel, data: Dataset): number {
  const predicted = argmaxRows(predictProba(model, data), 2);
  return predicted.filter((p, r) => p === data.y[r]).length / data.rows;
}

/** The held-out rows moved by FGSM against `model` itself. */
function attacked(model: LayersModel): Dataset {
  const x = tf.tensor2d(heldOut.x, [heldOut.rows, heldOut.features]);
  const target = tf.cast(tf.oneHot(tf.tensor1d(heldOut.y, 'int32'), 2), 'float32') as tf.Tensor2D;
  const moved = fgsm({ model, x, target, weights: undefined, task: 'classification' }, EPSILON);
  const values = moved.dataSync() as Float32Array;
  tf.dispose([x, target, moved]);
  return { ...heldOut, x: Float32Array.from(values) };
}

test('an FGSM-trained MLP on breast cancer', async (t) => {
  const plain = await trained(false);
  const robust = await trained(true);

  await t.test('the attack lowers the plain model’s held-out accuracy', () => {
    assert.ok(accuracy(plain, attacked(plain)) < accuracy(plain, heldOut) - 0.05);
  });

  await t.test('under attack, the adversarially trained model is more accurate', () => {
    const [a, b] = [accuracy(plain, attacked(plain)), accuracy(robust, attacked(robust))];
    assert.ok(b > a, `attacked accuracy: plain ${a}, adversarial ${b}`);
  });

  await t.test('on clean rows it stays above 0.9', () => {
    assert.ok(accuracy(robust, heldOut) > 0.9, `${accuracy(robust, heldOut)}`);
  });

  const figures = [heldOut, attacked(plain)].map((d) => accuracy(plain, d));
  figures.push(...[heldOut, attacked(robust)].map((d) => accuracy(robust, d)));
  t.diagnostic(`plain clean/attacked, adversarial clean/attacked: ${figures.join(' ')}`);
  plain.dispose();
  robust.dispose();
});
