import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readExampleCsv } from '../training/test-support';
import { bestRound, ensembleLoss, patienceRunOut, residuals } from './gradient-boosting';

const iris = readExampleCsv('iris', { task: 'classification', standardize: true });
const combiner = {
  kind: 'boosted' as const,
  width: 3,
  shrinkage: 1,
  prior: [0, 0, 0],
  softmax: true,
  scale: 1,
};

test('from an even score, a row of class k has residual 2/3 at k and −1/3 elsewhere', () => {
  const scores = {
    combiner,
    train: new Float32Array(iris.rows * 3),
    validation: new Float32Array(0),
  };
  const r = residuals(iris, scores);
  const k = iris.y[0];

  assert.ok(Math.abs(r[k] - 2 / 3) < 1e-6);
  assert.ok(Math.abs(r[(k + 1) % 3] + 1 / 3) < 1e-6);
});

test('adding the residual to the score lowers the cross-entropy', () => {
  const score = new Float32Array(iris.rows * 3);
  const before = ensembleLoss(score, iris, combiner);
  const r = residuals(iris, { combiner, train: score, validation: new Float32Array(0) });

  assert.ok(
    ensembleLoss(
      score.map((s, i) => s + r[i]),
      iris,
      combiner,
    ) < before,
  );
});

test('boosting stops once the lowest validation loss is `patience` rounds old', () => {
  const rounds = [0.9, 0.7, 0.75, 0.8].map((v, i) => ({
    member: `m${i}`,
    trainLoss: 1 - i / 10,
    validationLoss: v,
  }));

  assert.equal(bestRound(rounds), 1);
  assert.equal(patienceRunOut(rounds.slice(0, 3), 2), false);
  assert.equal(patienceRunOut(rounds, 2), true);
});
