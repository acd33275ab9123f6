import type { Dataset } from '../data/types';
import { binaryAveragePrecision } from '../metrics';
import type { ImbalanceReport, MinorityScores, ThresholdReport } from './types';

/** A class holding less than this share of what an even split would give it is a minority. */
const MINORITY_SHARE_OF_EVEN = 0.5;

/**
 * Whether the training rows are imbalanced: the rarest class has less than half the share an
 * even split would give it (under 25% of two classes, under 5% of ten). When they are, the
 * report leads with PR-AUC and F1, and scores the minority class on its own.
 */
export function imbalanceOf(
  train: Dataset,
  test: Dataset,
  outputs: Float32Array,
): ImbalanceReport | undefined {
  if (train.task !== 'classification' || train.rows === 0) return undefined;
  const counts = classCounts(train);
  const minority = counts.indexOf(Math.min(...counts));
  const share = counts[minority] / train.rows;
  if (share >= MINORITY_SHARE_OF_EVEN / counts.length) return undefined;

  return {
    minorityClass: train.classes[minority],
    minorityShare: share,
    leading: ['pr-auc', 'f1-macro'],
    test: minorityScores(test, outputs, minority, 0.5),
  };
}

/**
 * Tunes the decision threshold of a binary ensemble on the validation rows: the minority
 * class is predicted when its probability reaches the threshold that gives the best F1 of that
 * class there. Scores before (0.5) and after, on validation and test rows.
 */
export function tuneThreshold(
  data: { train: Dataset; validation: Dataset; test: Dataset },
  combined: { validation: Float32Array; test: Float32Array },
): ThresholdReport | undefined {
  if (data.train.task !== 'classification' || data.train.classes.length !== 2) return undefined;
  const counts = classCounts(data.train);
  const positive = counts[1] <= counts[0] ? 1 : 0;
  const threshold = bestF1Threshold(data.validation, combined.validation, positive);

  const at = (ds: Dataset, outputs: Float32Array) => ({
    before: minorityScores(ds, outputs, positive, 0.5),
    after: minorityScores(ds, outputs, positive, threshold),
  });
  return {
    positiveClass: data.train.classes[positive],
    threshold,
    validation: at(data.validation, combined.validation),
    test: at(data.test, combined.test),
  };
}

/** Precision, recall, F1 and average precision of one class, predicted at a threshold. */
export function minorityScores(
  ds: Dataset,
  outputs: Float32Array,
  positive: number,
  threshold: number,
): MinorityScores {
  const width = ds.classes.length;
  const scores = Float64Array.from({ length: ds.rows }, (_, r) => outputs[r * width + positive]);
  const isPositive = Uint8Array.from(ds.y, (y) => (y === positive ? 1 : 0));
  const counts = countsAt(scores, isPositive, threshold);
  return { ...counts, prAuc: binaryAveragePrecision(scores, isPositive) };
}

function countsAt(scores: Float64Array, isPositive: Uint8Array, threshold: number) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  scores.forEach((s, r) => {
    const predicted = s >= threshold;
    if (predicted && isPositive[r]) tp += 1;
    else if (predicted) fp += 1;
    else if (isPositive[r]) fn += 1;
  });
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/** Of the validation scores taken as thresholds, the one with the best F1 (lowest on ties). */
function bestF1Threshold(ds: Dataset, outputs: Float32Array, positive: number): number {
  const width = ds.classes.length;
  const scores = Float64Array.from({ length: ds.rows }, (_, r) => outputs[r * width + positive]);
  const isPositive = Uint8Array.from(ds.y, (y) => (y === positive ? 1 : 0));
  const candidates = [...new Set(scores)].sort((a, b) => a - b);

  let best = { threshold: 0.5, f1: countsAt(scores, isPositive, 0.5).f1 };
  for (const threshold of candidates) {
    const { f1 } = countsAt(scores, isPositive, threshold);
    if (f1 > best.f1) best = { threshold, f1 };
  }
  return best.threshold;
}

function classCounts(ds: Dataset): number[] {
  const counts = new Array<number>(ds.classes.length).fill(0);
  ds.y.forEach((y) => (counts[y] += 1));
  return counts;
}
