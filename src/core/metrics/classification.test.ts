import assert from 'node:assert/strict';
import { test } from 'node:test';
import { argmaxRows, classificationMetrics, reliabilityCurve } from './classification';
import { breastCancerPredictions, irisPredictions } from './testFixtures';

/*
 * Reference numbers come from sklearn-reference.py (scikit-learn 1.2.1), which rebuilds the
 * same predictions as testFixtures.ts; the sklearn call is named beside each constant.
 */

const IRIS_CLASSES = ['setosa', 'versicolor', 'virginica'];

function assertClose(actual: number, expected: number, tolerance = 1e-6): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `expected ${expected}, got ${actual} (tolerance ${tolerance})`,
  );
}

const iris = (() => {
  const { labels, proba } = irisPredictions();
  return classificationMetrics(labels, proba, IRIS_CLASSES);
})();

test('iris accuracy matches accuracy_score(y, pred)', () => {
  assertClose(iris.accuracy, 0.9266666666666666);
});

test('iris balanced accuracy matches balanced_accuracy_score(y, pred)', () => {
  assertClose(iris.balancedAccuracy, 0.9266666666666666);
});

test("iris f1-macro matches f1_score(y, pred, average='macro')", () => {
  assertClose(iris.f1Macro, 0.9266593325999266);
});

test("iris f1-weighted matches f1_score(y, pred, average='weighted')", () => {
  assertClose(iris.f1Weighted, 0.9266593325999268);
});

test("iris precision-macro matches precision_score(y, pred, average='macro')", () => {
  assertClose(iris.precisionMacro, 0.9267707082833133);
});

test("iris recall-weighted matches recall_score(y, pred, average='weighted')", () => {
  assertClose(iris.recallWeighted, 0.9266666666666666);
});

test("iris one-vs-rest ROC-AUC matches roc_auc_score(multi_class='ovr', average='macro')", () => {
  assertClose(iris.rocAuc, 0.9889999999999999);
});

test("iris PR-AUC matches average_precision_score(label_binarize(y), p, average='macro')", () => {
  assertClose(iris.prAuc, 0.9790997903254626);
});

test('iris log loss matches log_loss(y, p)', () => {
  assertClose(iris.logLoss, 0.2671053192588233);
});

test('iris Brier matches mean(sum((p - onehot)^2, axis=1)) in numpy', () => {
  assertClose(iris.brier, 0.1308976845941989);
});

test('iris ECE matches an independent numpy computation with 15 right-closed bins', () => {
  assertClose(iris.ece, 0.1253783082962036);
});

test('iris confusion matrix equals confusion_matrix(y, pred)', () => {
  assert.deepEqual(iris.confusion, [
    [50, 0, 0],
    [0, 45, 5],
    [0, 6, 44],
  ]);
});

test('per-class support counts the true labels of each class', () => {
  assert.deepEqual(
    iris.perClass.map((m) => m.support),
    [50, 50, 50],
  );
});

test('per-class recall of versicolor is 45 of its 50 rows', () => {
  assertClose(iris.perClass[1].recall, 0.9);
});

const cancer = (() => {
  const { labels, proba } = breastCancerPredictions();
  return classificationMetrics(labels, proba, ['benign', 'malignant']);
})();

test('breast cancer binary ROC-AUC (tied scores) matches roc_auc_score(y, p[:, 1])', () => {
  assertClose(cancer.rocAuc, 0.9667036625971144);
});

test('breast cancer average precision matches average_precision_score(y, p[:, 1])', () => {
  assertClose(cancer.prAuc, 0.9573118477347361);
});

test('breast cancer accuracy matches accuracy_score(y, pred)', () => {
  assertClose(cancer.accuracy, 0.8963093145869947);
});

test("breast cancer f1-macro matches f1_score(y, pred, average='macro')", () => {
  assertClose(cancer.f1Macro, 0.8911393225999967);
});

test('breast cancer log loss matches log_loss(y, p)', () => {
  assertClose(cancer.logLoss, 0.48986821788698465);
});

test('breast cancer Brier is twice brier_score_loss(y, p[:, 1])', () => {
  assertClose(cancer.brier, 0.31028565972551586);
});

/** Eight rows, three of them tied at 0.5 across both classes; all values exact in float32. */
const TINY_LABELS = [0, 0, 1, 1, 0, 1, 1, 0];
const TINY_SCORES = [0.125, 0.5, 0.5, 0.75, 0.25, 0.875, 0.5, 0.625];
const tiny = classificationMetrics(
  TINY_LABELS,
  Float32Array.from(TINY_SCORES.flatMap((s) => [1 - s, s])),
  ['no', 'yes'],
);

test('tied scores take the average rank: ROC-AUC equals roc_auc_score(y, s)', () => {
  assertClose(tiny.rocAuc, 0.8125);
});

test('tied scores form one threshold: AP equals average_precision_score(y, s)', () => {
  assertClose(tiny.prAuc, 0.8333333333333333);
});

test('tiny log loss matches log_loss(y, [1 - s, s])', () => {
  assertClose(tiny.logLoss, 0.4878372156055212);
});

test('tiny Brier is twice brier_score_loss(y, s)', () => {
  assertClose(tiny.brier, 0.32421875);
});

test('a 0.5/0.5 row predicts class 0: accuracy is accuracy_score(y, s > 0.5)', () => {
  assertClose(tiny.accuracy, 0.625);
});

test('argmax takes the first maximum on ties', () => {
  assert.deepEqual(
    Array.from(argmaxRows(Float32Array.from([0.4, 0.4, 0.2, 0.1, 0.45, 0.45]), 3)),
    [0, 1],
  );
});

test('confusion rows are true classes and columns predicted classes', () => {
  // Two rows of class 0 predicted as class 1, none of class 1 predicted as class 0.
  const proba = Float32Array.from([0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const m = classificationMetrics([0, 0, 0, 1, 2], proba, ['a', 'b', 'c']);
  assert.equal(m.confusion[0][1], 2);
  assert.equal(m.confusion[1][0], 0);
});

test('precision of a class never predicted is 0, not NaN', () => {
  const proba = Float32Array.from([1, 0, 1, 0, 1, 0]);
  const m = classificationMetrics([0, 1, 1], proba, ['a', 'b']);
  assert.equal(m.perClass[1].precision, 0);
});

test('ROC-AUC is NaN when the labels hold one class only', () => {
  const m = classificationMetrics([1, 1], Float32Array.from([0.3, 0.7, 0.6, 0.4]), ['a', 'b']);
  assert.ok(Number.isNaN(m.rocAuc));
});

/*
 * ECE by hand, 15 bins of width 1/15: confidences 0.875 (right), 0.875 (wrong) fall in bin 13,
 * 0.75 (right) in bin 11, 0.625 (right) in bin 9.
 * ECE = 2/4 |0.5 - 0.875| + 1/4 |1 - 0.75| + 1/4 |1 - 0.625| = 0.1875 + 0.0625 + 0.09375.
 */
const ECE_LABELS = [0, 1, 1, 0];
const ECE_PROBA = Float32Array.from([0.875, 0.125, 0.875, 0.125, 0.25, 0.75, 0.625, 0.375]);

test('ECE on a four-row case equals the hand computation 0.34375', () => {
  assertClose(classificationMetrics(ECE_LABELS, ECE_PROBA, ['a', 'b']).ece, 0.34375);
});

test('the reliability bin of the two 0.875 rows has accuracy 0.5', () => {
  assert.equal(reliabilityCurve(ECE_LABELS, ECE_PROBA, 2)[13].accuracy, 0.5);
});

test('reliability bins hold every row once', () => {
  const { labels, proba } = irisPredictions();
  const counts = reliabilityCurve(labels, proba, 3, 10).map((b) => b.count);
  assert.equal(
    counts.reduce((s, c) => s + c, 0),
    150,
  );
});

test('a confidence of exactly 1 lands in the last bin', () => {
  assert.equal(reliabilityCurve([0], Float32Array.from([1, 0]), 2, 4)[3].count, 1);
});

test('probabilities of the wrong length are refused', () => {
  assert.throws(() => classificationMetrics([0, 1], Float32Array.from([1, 0, 0]), ['a', 'b']));
});
