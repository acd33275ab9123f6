import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Dataset } from '../data/types';
import { silentLogger } from '../log';
import { Rng } from '../random';
import { memberSpec, readExampleCsv, subset, trainingConfig } from '../training/test-support';
import type { FitInput, TrainedModel } from './kind';
import { forestKind, treeKind } from './tree';

const breast = readExampleCsv('breast_cancer', { task: 'classification', standardize: true });
const iris = readExampleCsv('iris', { task: 'classification', standardize: true });
const diabetes = readExampleCsv('diabetes', { task: 'regression', standardize: true });
let scratch = '';

before(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'ensemble-lab-trees-'));
});

after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A seeded 70/30 split. */
function split(data: Dataset): [Dataset, Dataset] {
  const order = new Rng(4).shuffle(Array.from({ length: data.rows }, (_, i) => i));
  const cut = Math.round(data.rows * 0.7);
  return [subset(data, order.slice(0, cut)), subset(data, order.slice(cut))];
}

function fitInput(train: Dataset, changes: Parameters<typeof memberSpec>[0]): FitInput {
  const spec = memberSpec(changes);
  return { spec, train, training: trainingConfig({}), seed: 3, logger: silentLogger };
}

function accuracy(model: TrainedModel, data: Dataset): number {
  const k = data.classes.length;
  const p = model.predict(data);
  let correct = 0;
  for (let r = 0; r < data.rows; r++) {
    const row = Array.from(p.subarray(r * k, r * k + k));
    if (row.indexOf(Math.max(...row)) === data.y[r]) correct++;
  }
  return correct / data.rows;
}

const [breastTrain, breastTest] = split(breast);

test('a decision stump on breast cancer splits once: about 0.9 test accuracy', async () => {
  const { model } = await treeKind.fit(fitInput(breastTrain, { model: 'tree', maxDepth: 1 }));

  const value = accuracy(model, breastTest);
  assert.ok(value > 0.85 && value < 0.95, `stump accuracy ${value}`);
});

test('a stump has three nodes: the root and two leaves', async () => {
  const { model } = await treeKind.fit(fitInput(breastTrain, { model: 'tree', maxDepth: 1 }));

  assert.equal(model.parameters, 3);
});

test('a deeper tree fits the training rows better than a stump', async () => {
  const stump = await treeKind.fit(fitInput(breastTrain, { model: 'tree', maxDepth: 1 }));
  const deep = await treeKind.fit(fitInput(breastTrain, { model: 'tree', maxDepth: 6 }));

  assert.ok(accuracy(deep.model, breastTrain) > accuracy(stump.model, breastTrain) + 0.03);
});

test('tree outputs are class shares over every class: each iris row sums to 1', async () => {
  const { model } = await treeKind.fit(fitInput(iris, { model: 'tree', maxDepth: 2 }));
  const p = model.predict(iris);

  const sums = Array.from({ length: iris.rows }, (_, r) => p[r * 3] + p[r * 3 + 1] + p[r * 3 + 2]);
  assert.ok(sums.every((s) => Math.abs(s - 1) < 1e-5));
});

test('a forest of 15 trees is at least as accurate as one tree of the same depth', async () => {
  const tree = await treeKind.fit(fitInput(breastTrain, { model: 'tree', maxDepth: 4 }));
  const forest = await forestKind.fit(
    fitInput(breastTrain, { model: 'forest', maxDepth: 4, trees: 15 }),
  );

  const forestAccuracy = accuracy(forest.model, breastTest);
  const treeAccuracy = accuracy(tree.model, breastTest);
  assert.ok(
    forestAccuracy >= treeAccuracy - 1e-9,
    `forest ${forestAccuracy}, tree ${treeAccuracy}`,
  );
  assert.ok(forestAccuracy >= 0.9, `forest ${forestAccuracy}`);
});

test('a regression tree predicts values: diabetes test R² above 0.1', async () => {
  const [train, test] = split(diabetes);
  const { model } = await treeKind.fit(fitInput(train, { model: 'tree', maxDepth: 3 }));
  const predicted = model.predict(test);

  const mean = test.y.reduce((s, v) => s + v, 0) / test.rows;
  let residual = 0;
  let total = 0;
  test.y.forEach((v, r) => {
    residual += (v - predicted[r]) ** 2;
    total += (v - mean) ** 2;
  });
  assert.ok(1 - residual / total > 0.1, `r2 ${1 - residual / total}`);
});

test('a tree and a forest saved and loaded predict exactly the same', async () => {
  for (const [kind, model] of [
    [treeKind, 'tree'],
    [forestKind, 'forest'],
  ] as const) {
    const fitted = await kind.fit(fitInput(iris, { model, maxDepth: 3, trees: 5 }));
    const dir = path.join(scratch, model);
    await fitted.model.save(dir);
    const loaded = await kind.load(dir);

    assert.deepEqual(Array.from(loaded.predict(iris)), Array.from(fitted.model.predict(iris)));
  }
});

test('a tree given sample weights refuses them rather than ignoring them', async () => {
  const input = fitInput(iris, { model: 'tree', maxDepth: 1 });

  await assert.rejects(
    treeKind.fit({ ...input, sampleWeights: new Float32Array(iris.rows).fill(1) }),
    /cannot take sample weights/,
  );
});
