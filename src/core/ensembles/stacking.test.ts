import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readExampleCsv } from '../training/test-support';
import type { MemberOutputs } from './evaluate';
import { outOfFold } from './stacking';

const iris = readExampleCsv('iris', { task: 'classification', standardize: true });

test("each row's out-of-fold prediction comes from the model of its own fold", () => {
  const foldOf = Int32Array.from({ length: iris.rows }, (_, r) => (r * 7) % 3);
  // Fold model f predicts f + 1 in every cell, so a cell tells which model it came from.
  const folds = [0, 1, 2].map(
    (f) => ({ train: new Float32Array(iris.rows * 3).fill(f + 1) }) as unknown as MemberOutputs,
  );
  const predicted = outOfFold(folds, foldOf, iris);

  const sources = Array.from({ length: iris.rows }, (_, r) => predicted[r * 3] - 1);
  assert.deepEqual(sources, Array.from(foldOf));
});
