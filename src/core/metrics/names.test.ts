import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classificationMetrics } from './classification';
import {
  CLASSIFICATION_METRIC_NAMES,
  METRIC_DIRECTION,
  REGRESSION_METRIC_NAMES,
  flattenClassification,
  flattenRegression,
  headlineMetric,
} from './names';
import { regressionMetrics } from './regression';

const classification = flattenClassification(
  classificationMetrics([0, 1, 1], Float32Array.from([0.75, 0.25, 0.5, 0.5, 0.25, 0.75]), [
    'a',
    'b',
  ]),
);

test('flattened classification metrics carry exactly the listed names', () => {
  assert.deepEqual(Object.keys(classification).sort(), [...CLASSIFICATION_METRIC_NAMES].sort());
});

test('flattened accuracy is the accuracy (2 of 3 rows right)', () => {
  assert.ok(Math.abs(classification.accuracy - 2 / 3) < 1e-12);
});

test('flattened regression metrics carry exactly the listed names', () => {
  const keys = Object.keys(flattenRegression(regressionMetrics([1, 2, 3], [1, 2, 4])));
  assert.deepEqual(keys.sort(), [...REGRESSION_METRIC_NAMES].sort());
});

test('every metric name has a direction', () => {
  const names = [...CLASSIFICATION_METRIC_NAMES, ...REGRESSION_METRIC_NAMES];
  assert.deepEqual(Object.keys(METRIC_DIRECTION).sort(), names.sort());
});

test('log loss is better lower', () => {
  assert.equal(METRIC_DIRECTION['log-loss'], 'lower');
});

test('the headline metric of regression is r2', () => {
  assert.equal(headlineMetric('regression'), 'r2');
});

test('the headline metric of classification is accuracy', () => {
  assert.equal(headlineMetric('classification'), 'accuracy');
});
