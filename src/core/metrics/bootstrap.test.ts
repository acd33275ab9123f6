import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../random';
import { bootstrapInterval, bootstrapIntervals } from './bootstrap';
import { argmaxRows } from './classification';
import { breastCancerPredictions } from './testFixtures';

/** 1 where the breast cancer prediction is right (569 rows, accuracy about 0.896). */
const correct = (() => {
  const { labels, proba } = breastCancerPredictions();
  const predicted = argmaxRows(proba, 2);
  return Uint8Array.from(labels, (label, r) => (predicted[r] === label ? 1 : 0));
})();

/** Bootstrap of the accuracy over the first n rows. */
function accuracyInterval(n: number) {
  const accuracy = (rows: Int32Array) => rows.reduce((s, r) => s + correct[r], 0) / rows.length;
  return bootstrapInterval(n, accuracy, new Rng(11), 1000);
}

const all = accuracyInterval(correct.length);
const few = accuracyInterval(60);

test('the estimate is the accuracy of all rows: accuracy_score gives 0.8963093145869947', () => {
  assert.ok(Math.abs(all.estimate - 0.8963093145869947) < 1e-12);
});

test('the interval contains the estimate', () => {
  assert.ok(all.low <= all.estimate && all.estimate <= all.high);
});

test('the interval narrows with more rows', () => {
  assert.ok(all.high - all.low < few.high - few.low);
});

test('the 95% width is near the normal approximation 2 * 1.96 * sqrt(p (1 - p) / n)', () => {
  const p = all.estimate;
  const expected = 2 * 1.96 * Math.sqrt((p * (1 - p)) / correct.length);
  assert.ok(Math.abs(all.high - all.low - expected) < 0.2 * expected);
});

test('the same seed gives the same interval', () => {
  assert.deepEqual(accuracyInterval(60), few);
});

test('resamples whose statistic is NaN are left out', () => {
  let calls = 0;
  const sometimesNaN = () => (calls++ % 2 === 0 ? NaN : 1);
  const interval = bootstrapInterval(5, sometimesNaN, new Rng(1), 10);
  assert.deepEqual([interval.low, interval.high], [1, 1]);
});

test('intervals of several statistics use the same draws as one interval of each', () => {
  const accuracy = (rows: Int32Array) => rows.reduce((s, r) => s + correct[r], 0) / rows.length;
  const error = (rows: Int32Array) => 1 - accuracy(rows);
  const both = bootstrapIntervals(
    60,
    (rows) => ({ accuracy: accuracy(rows), error: error(rows) }),
    new Rng(11),
    1000,
  );
  assert.deepEqual(both.accuracy, few);
});

test('the interval of the error rate mirrors that of the accuracy', () => {
  const accuracy = (rows: Int32Array) => rows.reduce((s, r) => s + correct[r], 0) / rows.length;
  const both = bootstrapIntervals(
    60,
    (rows) => ({ accuracy: accuracy(rows), error: 1 - accuracy(rows) }),
    new Rng(11),
    1000,
  );
  assert.ok(Math.abs(both.error.low - (1 - both.accuracy.high)) < 1e-9);
});
