import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifierDiversity, regressorDiversity } from './diversity';
import { diabetesPredictions } from './testFixtures';

function assertClose(actual: number, expected: number, tolerance = 1e-6): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

/*
 * Ten rows of class 0; a member is right where its oracle bit is 1 and says class 2 elsewhere.
 * The pair (first, second) has N11 = 4, N10 = 3, N01 = 2, N00 = 1, so by hand:
 * disagreement = 5/10, Q = (4*1 - 2*3)/(4*1 + 2*3) = -0.2, double fault = 1/10,
 * rho = (4 - 6)/sqrt(7*3*6*4) = np.corrcoef(first, second)[0, 1] = -0.08908708063747477.
 */
const LABELS = new Array<number>(10).fill(0);
const FIRST = [1, 1, 1, 1, 1, 1, 1, 0, 0, 0];
const SECOND = [1, 1, 1, 1, 0, 0, 0, 1, 1, 0];
const member = (name: string, oracle: number[]) => ({
  name,
  predicted: oracle.map((right) => (right ? 0 : 2)),
});
const pair = classifierDiversity(LABELS, [member('first', FIRST), member('second', SECOND)]);

test('disagreement is (N01 + N10) / N = 0.5', () => {
  assertClose(pair.pairs[0].disagreement, 0.5);
});

test('Q statistic is (N11 N00 - N01 N10) / (N11 N00 + N01 N10) = -0.2', () => {
  assertClose(pair.pairs[0].qStatistic, -0.2);
});

test('correlation equals np.corrcoef of the oracle outputs', () => {
  assertClose(pair.pairs[0].correlation, -0.08908708063747477);
});

test('double fault is N00 / N = 0.1', () => {
  assertClose(pair.pairs[0].doubleFault, 0.1);
});

test('the pair is named in member order', () => {
  assert.deepEqual([pair.pairs[0].a, pair.pairs[0].b], ['first', 'second']);
});

test('Q of two members that are always right is NaN (undefined)', () => {
  const always = new Array<number>(10).fill(1);
  const report = classifierDiversity(LABELS, [member('a', always), member('b', always)]);
  assert.ok(Number.isNaN(report.pairs[0].qStatistic));
});

test('three members give three pairs', () => {
  const third = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1];
  const report = classifierDiversity(LABELS, [
    member('first', FIRST),
    member('second', SECOND),
    member('third', third),
  ]);
  assert.equal(report.pairs.length, 3);
});

test('the mean disagreement averages the pairs', () => {
  const third = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1];
  // first/third disagree on rows 0, 2, 4, 6, 7, 9 (0.6); second/third on 0, 2, 5, 8, 9 (0.5).
  const report = classifierDiversity(LABELS, [
    member('first', FIRST),
    member('second', SECOND),
    member('third', third),
  ]);
  assertClose(report.mean.disagreement, (0.5 + 0.6 + 0.5) / 3);
});

test('one member gives no pairs and a NaN mean', () => {
  const report = classifierDiversity(LABELS, [member('only', FIRST)]);
  assert.ok(report.pairs.length === 0 && Number.isNaN(report.mean.qStatistic));
});

test('regressor error correlation on diabetes matches np.corrcoef(a - y, b - y)', () => {
  const { target, first, second } = diabetesPredictions();
  const report = regressorDiversity(target, [
    { name: 'bmi', predicted: first },
    { name: 'bmi+s5', predicted: second },
  ]);
  assertClose(report.meanErrorCorrelation, 0.891711724567358);
});
