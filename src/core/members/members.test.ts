import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../backend';
import { UserError } from '../errors';
import { silentLogger } from '../log';
import { predictProba, trainModel } from '../training/train';
import { memberSpec, readExampleCsv, trainingConfig } from '../training/test-support';
import { loadModel, saveModel } from './persist';
import { buildMember, parameterCount, registerMember } from './registry';
import { SeededDropout } from './seeded-dropout';
import type { BuildInput } from './types';

const iris = readExampleCsv('iris', { task: 'classification', standardize: true });
let scratch = '';

before(async () => {
  await initBackend('wasm', silentLogger);
  scratch = await mkdtemp(path.join(tmpdir(), 'ensemble-lab-members-'));
});

after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function irisInput(changes: Parameters<typeof memberSpec>[0], seed = 1): BuildInput {
  const spec = memberSpec(changes);
  return { spec, inputShape: [4], outputUnits: 3, task: 'classification', seed };
}

function weightValues(model: tfl.LayersModel): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}

test('an mlp 4-16-8-3 has the parameters of its dense layers', () => {
  const model = buildMember(irisInput({ hidden: [16, 8] }));

  assert.equal(parameterCount(model), 4 * 16 + 16 + 16 * 8 + 8 + 8 * 3 + 3);
  model.dispose();
});

test('batch norm adds four vectors per hidden layer (two of them not trainable)', () => {
  const model = buildMember(irisInput({ hidden: [16], batchNorm: true }));

  assert.equal(parameterCount(model), 4 * 16 + 16 + 4 * 16 + 16 * 3 + 3);
  model.dispose();
});

test('the same seed builds the same initial weights', () => {
  const a = buildMember(irisInput({ hidden: [16] }, 42));
  const b = buildMember(irisInput({ hidden: [16] }, 42));

  assert.deepEqual(weightValues(a), weightValues(b));
  a.dispose();
  b.dispose();
});

test('different seeds build different initial weights', () => {
  const a = buildMember(irisInput({ hidden: [16] }, 1));
  const b = buildMember(irisInput({ hidden: [16] }, 2));

  assert.notDeepEqual(weightValues(a)[0], weightValues(b)[0]);
  a.dispose();
  b.dispose();
});

test('a linear classifier is one softmax layer whose rows sum to 1', () => {
  const model = buildMember(irisInput({ model: 'linear' }));
  const probabilities = predictProba(model, iris);

  assert.equal(parameterCount(model), 4 * 3 + 3);
  assert.ok(Math.abs(probabilities[0] + probabilities[1] + probabilities[2] - 1) < 1e-5);
  model.dispose();
});

test('a linear regressor has one output unit', () => {
  const spec = memberSpec({ model: 'linear' });
  const model = buildMember({
    spec,
    inputShape: [10],
    outputUnits: 1,
    task: 'regression',
    seed: 1,
  });

  assert.deepEqual(model.outputs[0].shape, [null, 1]);
  model.dispose();
});

test('a cnn on 8x8 digits pools twice per block until the map is 2x2', () => {
  const spec = memberSpec({ model: 'cnn', filters: [4, 8, 8], kernelSize: 3, dense: 16 });
  const model = buildMember({
    spec,
    inputShape: [8, 8, 1],
    outputUnits: 10,
    task: 'classification',
    seed: 1,
  });
  const pools = model.layers.filter((layer) => layer.getClassName() === 'MaxPooling2D');

  // 8 -> 4 -> 2, then the third block is not pooled; flatten sees 2 * 2 * 8 values.
  assert.equal(pools.length, 2);
  assert.equal(
    parameterCount(model),
    9 * 1 * 4 + 4 + (9 * 4 * 8 + 8) + (9 * 8 * 8 + 8) + (32 * 16 + 16) + (16 * 10 + 10),
  );
  model.dispose();
});

test('a cnn on flat rows is a UserError that says how to give rows an image shape', () => {
  const input = irisInput({ name: 'conv', model: 'cnn' });

  assert.throws(
    () => buildMember(input),
    (error: unknown) =>
      error instanceof UserError && /"conv" is a cnn.*data\.preprocess\.image/.test(error.message),
  );
});

test('an unknown member kind is a UserError listing the known kinds', () => {
  const input = irisInput({ model: 'svm' as 'mlp' });

  assert.throws(() => buildMember(input), /unknown model "svm"; use one of mlp, cnn, linear/);
});

test('a registered builder is used for its kind', () => {
  registerMember('tiny', (input) =>
    tfl.sequential({
      layers: [tfl.layers.dense({ units: input.outputUnits, inputShape: input.inputShape })],
    }),
  );
  const model = buildMember(irisInput({ model: 'tiny' as 'mlp' }));

  assert.equal(parameterCount(model), 4 * 3 + 3);
  model.dispose();
});

test('seeded dropout draws a new mask on every training call', () => {
  const layer = new SeededDropout({ rate: 0.5, seed: 7 });
  const ones = tf.ones([1, 64]);
  const first = Array.from((layer.apply(ones, { training: true }) as tf.Tensor).dataSync());
  const second = Array.from((layer.apply(ones, { training: true }) as tf.Tensor).dataSync());

  assert.notDeepEqual(first, second);
  tf.dispose(ones);
});

test('seeded dropout repeats its masks from the same seed', () => {
  const masks = [1, 2].map(() => {
    const layer = new SeededDropout({ rate: 0.5, seed: 7 });
    return tf.tidy(() =>
      Array.from((layer.apply(tf.ones([1, 64]), { training: true }) as tf.Tensor).dataSync()),
    );
  });

  assert.deepEqual(masks[0], masks[1]);
});

test('seeded dropout passes inputs through at inference', () => {
  const layer = new SeededDropout({ rate: 0.5, seed: 7 });
  const values = tf.tidy(() => Array.from((layer.apply(tf.ones([1, 8])) as tf.Tensor).dataSync()));

  assert.deepEqual(values, [1, 1, 1, 1, 1, 1, 1, 1]);
});

test('a trained model saved and loaded predicts exactly the same', async () => {
  const model = buildMember(irisInput({ hidden: [16], batchNorm: true, dropout: 0.2, l2: 1e-3 }));
  const config = trainingConfig({ epochs: 3 });
  await trainModel({
    model,
    train: iris,
    config,
    task: 'classification',
    seed: 1,
    logger: silentLogger,
  });
  const dir = path.join(scratch, 'saved');

  await saveModel(model, dir);
  const loaded = await loadModel(dir);

  assert.deepEqual(Array.from(predictProba(loaded, iris)), Array.from(predictProba(model, iris)));
  model.dispose();
  loaded.dispose();
});

test('loading from a folder without a model is a UserError naming the folder', async () => {
  const dir = path.join(scratch, 'nothing-here');

  await assert.rejects(
    loadModel(dir),
    (error: unknown) => error instanceof UserError && error.message.includes(dir),
  );
});

test('loading a damaged model.json is a UserError naming the folder', async () => {
  const model = buildMember(irisInput({ hidden: [4] }));
  const dir = path.join(scratch, 'damaged');
  await saveModel(model, dir);
  await writeFile(path.join(dir, 'model.json'), '{"modelTopology": ');

  await assert.rejects(
    loadModel(dir),
    (error: unknown) => error instanceof UserError && error.message.includes(dir),
  );
  model.dispose();
});
