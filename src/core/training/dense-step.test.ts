import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { initBackend } from '../backend';
import type { MemberSpec, TrainingConfig } from '../config/types';
import type { Dataset } from '../data/types';
import { silentLogger } from '../log';
import { buildMember } from '../members/registry';
import { DenseStep } from './dense-step';
import { memberSpec, readExampleCsv, trainingConfig } from './test-support';
import { trainModel, type TrainInput, type TrainResult } from './train';

const digits = readExampleCsv('digits', { task: 'classification', divideBy: 16 });
const wine = readExampleCsv('wine', { task: 'classification', standardize: true });
const diabetes = readExampleCsv('diabetes', {
  task: 'regression',
  standardize: true,
  standardizeTarget: true,
});

before(async () => {
  await initBackend('wasm', silentLogger);
});

function build(data: Dataset, spec: Partial<MemberSpec>): LayersModel {
  const outputUnits = data.task === 'classification' ? data.classes.length : 1;
  return buildMember({
    spec: memberSpec(spec),
    inputShape: data.inputShape,
    outputUnits,
    seed: 3,
    task: data.task,
  });
}

/** Trains two copies of the same network, one per path, and returns both. */
async function bothPaths(
  data: Dataset,
  spec: Partial<MemberSpec>,
  config: Partial<TrainingConfig>,
  extra: Partial<TrainInput> = {},
): Promise<{ plain: Trained; fast: Trained }> {
  const trained: Trained[] = [];
  for (const plainStep of [true, false]) {
    const model = build(data, spec);
    const input = { model, train: data, task: data.task, seed: 7, logger: silentLogger };
    const result = await trainModel({
      ...input,
      config: trainingConfig(config),
      plainStep,
      ...extra,
    });
    trained.push({ model, result });
  }
  return { plain: trained[0], fast: trained[1] };
}

interface Trained {
  model: LayersModel;
  result: TrainResult;
}

/** The largest absolute difference between the two models' weights, over every weight. */
function weightGap(a: LayersModel, b: LayersModel): number {
  const wa = a.getWeights();
  const wb = b.getWeights();
  return Math.max(
    ...wa.map((w, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(w, wb[i]))).dataSync()[0])),
  );
}

function lossGap(a: TrainResult, b: TrainResult): number {
  return Math.max(...a.history.map((log, i) => Math.abs(log.loss - b.history[i].loss)));
}

function dispose(pair: { plain: Trained; fast: Trained }): void {
  pair.plain.model.dispose();
  pair.fast.model.dispose();
}

test('a relu mlp on digits ends with the same weights on both paths', async () => {
  const pair = await bothPaths(digits, { hidden: [64, 32] }, { epochs: 3, batchSize: 64 });

  assert.ok(weightGap(pair.plain.model, pair.fast.model) < 1e-4);
  dispose(pair);
});

test('a relu mlp on digits has the same loss history on both paths', async () => {
  const pair = await bothPaths(digits, { hidden: [64, 32] }, { epochs: 3, batchSize: 64 });

  assert.ok(lossGap(pair.plain.result, pair.fast.result) < 1e-5);
  dispose(pair);
});

test('dropout, L2 and class weights give the same weights on both paths', async () => {
  const spec = { hidden: [32, 16], dropout: 0.3, l2: 0.01 };
  const config = { epochs: 5, batchSize: 16, classWeights: 'balanced' as const };
  const pair = await bothPaths(wine, spec, config);

  assert.ok(weightGap(pair.plain.model, pair.fast.model) < 1e-4);
  dispose(pair);
});

test('the L2 penalty is part of the reported loss on the fast path as on the plain one', async () => {
  const spec = { hidden: [32, 16], dropout: 0.3, l2: 0.01 };
  const pair = await bothPaths(wine, spec, { epochs: 5, batchSize: 16 });

  assert.ok(lossGap(pair.plain.result, pair.fast.result) < 1e-4);
  dispose(pair);
});

test('tanh regression with L1 and bootstrap rows gives the same weights on both paths', async () => {
  const rows = Int32Array.from({ length: diabetes.rows }, (_, i) => (i * 7919) % diabetes.rows);
  const spec = { hidden: [16], activation: 'tanh' as const, l1: 0.001 };
  const pair = await bothPaths(diabetes, spec, { epochs: 4, batchSize: 32 }, { rows });

  assert.ok(weightGap(pair.plain.model, pair.fast.model) < 1e-4);
  dispose(pair);
});

test('sigmoid layers with per-row sample weights give the same weights on both paths', async () => {
  const sampleWeights = Float32Array.from({ length: wine.rows }, (_, i) => 0.5 + (i % 3));
  const spec = { hidden: [16], activation: 'sigmoid' as const };
  const pair = await bothPaths(wine, spec, { epochs: 4, batchSize: 16 }, { sampleWeights });

  assert.ok(weightGap(pair.plain.model, pair.fast.model) < 1e-4);
  dispose(pair);
});

test('boosting-style given targets train the same on both paths', async () => {
  const values = Float32Array.from({ length: diabetes.rows }, (_, i) => diabetes.y[i] * 0.5);
  const extra = { targets: { values, width: 1 } };
  const pair = await bothPaths(diabetes, { hidden: [16] }, { epochs: 3, batchSize: 32 }, extra);

  assert.ok(weightGap(pair.plain.model, pair.fast.model) < 1e-4);
  dispose(pair);
});

test('the fast path leaves no tensors behind over a training run', async () => {
  const model = build(wine, { hidden: [16], dropout: 0.2, l2: 0.01 });
  const before = tf.memory().numTensors;
  const input = { model, train: wine, task: wine.task, seed: 1, logger: silentLogger };
  await trainModel({ ...input, config: trainingConfig({ epochs: 3, batchSize: 16 }) });

  assert.equal(tf.memory().numTensors, before);
  model.dispose();
});

test('batch normalization is left to autodiff, with the layer named as the reason', () => {
  const model = build(wine, { hidden: [16], batchNorm: true });
  const step = DenseStep.compile(model, 'classification');

  assert.match(String(step), /BatchNormalization/);
  model.dispose();
});

test('an activation without a written-out derivative is left to autodiff', () => {
  const model = build(wine, { hidden: [16], activation: 'elu' });
  const step = DenseStep.compile(model, 'classification');

  assert.match(String(step), /uses elu/);
  model.dispose();
});

test('a plain mlp compiles to the fast step', () => {
  const model = build(wine, { hidden: [16], dropout: 0.1, l2: 0.01 });

  assert.ok(DenseStep.compile(model, 'classification') instanceof DenseStep);
  model.dispose();
});
