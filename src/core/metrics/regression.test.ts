import assert from 'node:assert/strict';
import { test } from 'node:test';
import { regressionMetrics } from './regression';
import { diabetesPredictions } from './testFixtures';

/* References from sklearn-reference.py (scikit-learn 1.2.1) on the same diabetes predictions. */

function assertClose(actual: number, expected: number, tolerance = 1e-6): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `expected ${expected}, got ${actual}`,
  );
}

const { target, first } = diabetesPredictions();
const diabetes = regressionMetrics(target, first);

test('diabetes MSE matches mean_squared_error(y, a)', () => {
  assertClose(diabetes.mse, 3891.656108597285);
});

test('diabetes RMSE matches mean_squared_error(y, a, squared=False)', () => {
  assertClose(diabetes.rmse, 62.383139617987204);
});

test('diabetes MAE matches mean_absolute_error(y, a)', () => {
  assertClose(diabetes.mae, 51.90045248868778);
});

test('diabetes R² matches r2_score(y, a)', () => {
  assertClose(diabetes.r2, 0.3437214758375944);
});

test('R² of a perfect fit to a constant target is 1, as r2_score([3, 3, 3], [3, 3, 3])', () => {
  assert.equal(regressionMetrics([3, 3, 3], [3, 3, 3]).r2, 1);
});

test('R² of an imperfect fit to a constant target is 0, as r2_score([3, 3, 3], [3, 4, 3])', () => {
  assert.equal(regressionMetrics([3, 3, 3], [3, 4, 3]).r2, 0);
});

test('predicting the mean gives R² of 0', () => {
  assertClose(regressionMetrics([1, 2, 3, 6], [3, 3, 3, 3]).r2, 0);
});

test('targets and predictions of different lengths are refused', () => {
  assert.throws(() => regressionMetrics([1, 2], [1]));
});
