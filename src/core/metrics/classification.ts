/**
 * Classification metrics computed from true labels and a row-major probability matrix.
 * Definitions follow scikit-learn's so that numbers can be checked against it.
 */

/** Precision, recall and F1 of one class, with its support (rows whose true label it is). */
export interface PerClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Every classification metric of one set of predictions. */
export interface ClassificationMetrics {
  accuracy: number;
  /** Mean recall over the classes present in the labels. */
  balancedAccuracy: number;
  precisionMacro: number;
  recallMacro: number;
  f1Macro: number;
  precisionWeighted: number;
  recallWeighted: number;
  f1Weighted: number;
  /** One entry per class, in the order of `classes`, including classes with no support. */
  perClass: PerClassMetrics[];
  /**
   * Binary: AUC of the positive (index 1) class; multi-class: macro one-vs-rest over the
   * classes that have both positive and negative rows. NaN if only one class is present.
   */
  rocAuc: number;
  /** Average precision (step-wise), macro one-vs-rest over classes with positive rows. */
  prAuc: number;
  /** Mean negative log-likelihood, probabilities clipped to [1e-15, 1 - 1e-15]. */
  logLoss: number;
  /** Mean over rows of the sum over classes of (p - onehot)^2 (twice the binary Brier). */
  brier: number;
  /** Expected calibration error over 15 equal-width bins of the top-class confidence. */
  ece: number;
  /** confusion[true][predicted] counts. */
  confusion: number[][];
}

/** One bin of a reliability diagram. Empty bins have count 0 and NaN confidence/accuracy. */
export interface ReliabilityBin {
  binStart: number;
  binEnd: number;
  count: number;
  /** Mean top-class probability of the rows in the bin. */
  confidence: number;
  /** Fraction of the rows in the bin whose top class is the true class. */
  accuracy: number;
}

const LOG_LOSS_EPS = 1e-15;
const ECE_BINS = 15;

/**
 * Computes every classification metric.
 * @param labels true class index of each row, in [0, classes.length)
 * @param proba row-major probabilities, rows x classes.length; predicted class = argmax
 * @param classes class names, in index order
 */
export function classificationMetrics(
  labels: ArrayLike<number>,
  proba: Float32Array,
  classes: string[],
): ClassificationMetrics {
  const k = classes.length;
  checkShapes(labels, proba, k);
  const predicted = argmaxRows(proba, k);
  const confusion = confusionMatrix(labels, predicted, k);

  const perClass = perClassMetrics(confusion, classes);
  const averages = averagedMetrics(confusion, perClass);

  return {
    ...averages,
    perClass,
    rocAuc: rocAucOneVsRest(labels, proba, k),
    prAuc: averagePrecisionOneVsRest(labels, proba, k),
    logLoss: logLoss(labels, proba, k),
    brier: brierScore(labels, proba, k),
    ece: expectedCalibrationError(reliabilityCurve(labels, proba, k, ECE_BINS), labels.length),
    confusion,
  };
}

/** The index of the largest value in each row (the first one on ties). */
export function argmaxRows(proba: Float32Array, classCount: number): Int32Array {
  const rows = Math.floor(proba.length / classCount);
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classCount; c++) {
      if (proba[r * classCount + c] > proba[r * classCount + best]) best = c;
    }
    out[r] = best;
  }
  return out;
}

/**
 * Reliability diagram on the top-class confidence: bins are right-closed, (start, end],
 * except the first, which also holds a confidence of exactly 0.
 */
export function reliabilityCurve(
  labels: ArrayLike<number>,
  proba: Float32Array,
  classCount: number,
  bins = ECE_BINS,
): ReliabilityBin[] {
  checkShapes(labels, proba, classCount);
  const predicted = argmaxRows(proba, classCount);
  const count = new Float64Array(bins);
  const confidenceSum = new Float64Array(bins);
  const correctSum = new Float64Array(bins);

  for (let r = 0; r < predicted.length; r++) {
    const confidence = proba[r * classCount + predicted[r]];
    const bin = Math.min(bins - 1, Math.max(0, Math.ceil(confidence * bins) - 1));
    count[bin] += 1;
    confidenceSum[bin] += confidence;
    if (predicted[r] === labels[r]) correctSum[bin] += 1;
  }

  return Array.from({ length: bins }, (_, b) => ({
    binStart: b / bins,
    binEnd: (b + 1) / bins,
    count: count[b],
    confidence: count[b] > 0 ? confidenceSum[b] / count[b] : NaN,
    accuracy: count[b] > 0 ? correctSum[b] / count[b] : NaN,
  }));
}

/** Programmer errors (not user mistakes): the shapes come from the engine, not a config. */
function checkShapes(labels: ArrayLike<number>, proba: Float32Array, classCount: number): void {
  if (classCount < 1) throw new RangeError('metrics need at least one class');
  if (proba.length !== labels.length * classCount) {
    throw new RangeError(
      `probabilities hold ${proba.length} values, expected ${labels.length} rows x ${classCount}`,
    );
  }
  for (let r = 0; r < labels.length; r++) {
    const label = labels[r];
    if (!Number.isInteger(label) || label < 0 || label >= classCount) {
      throw new RangeError(`label ${label} at row ${r} is not a class index below ${classCount}`);
    }
  }
}

function confusionMatrix(labels: ArrayLike<number>, predicted: Int32Array, k: number): number[][] {
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let r = 0; r < predicted.length; r++) confusion[labels[r]][predicted[r]] += 1;
  return confusion;
}

function perClassMetrics(confusion: number[][], classes: string[]): PerClassMetrics[] {
  return classes.map((label, c) => {
    const truePositives = confusion[c][c];
    const support = sum(confusion[c]);
    const predictedCount = sum(confusion.map((row) => row[c]));
    const precision = safeDivide(truePositives, predictedCount);
    const recall = safeDivide(truePositives, support);
    const f1 = safeDivide(2 * truePositives, support + predictedCount);
    return { label, precision, recall, f1, support };
  });
}

type Averages = Pick<
  ClassificationMetrics,
  | 'accuracy'
  | 'balancedAccuracy'
  | 'precisionMacro'
  | 'recallMacro'
  | 'f1Macro'
  | 'precisionWeighted'
  | 'recallWeighted'
  | 'f1Weighted'
>;

/**
 * Macro averages run over the classes seen in the labels or the predictions, as
 * scikit-learn's default does: a class absent from a fold does not drag the mean to 0.
 */
function averagedMetrics(confusion: number[][], perClass: PerClassMetrics[]): Averages {
  const total = sum(perClass.map((m) => m.support));
  const correct = sum(confusion.map((row, c) => row[c]));
  const seen = perClass.filter((m, c) => m.support > 0 || confusion.some((row) => row[c] > 0));
  const present = perClass.filter((m) => m.support > 0);

  const macro = (pick: (m: PerClassMetrics) => number): number =>
    seen.length > 0 ? sum(seen.map(pick)) / seen.length : NaN;
  const weighted = (pick: (m: PerClassMetrics) => number): number =>
    total > 0 ? sum(perClass.map((m) => pick(m) * m.support)) / total : NaN;

  return {
    accuracy: total > 0 ? correct / total : NaN,
    balancedAccuracy: present.length > 0 ? sum(present.map((m) => m.recall)) / present.length : NaN,
    precisionMacro: macro((m) => m.precision),
    recallMacro: macro((m) => m.recall),
    f1Macro: macro((m) => m.f1),
    precisionWeighted: weighted((m) => m.precision),
    recallWeighted: weighted((m) => m.recall),
    f1Weighted: weighted((m) => m.f1),
  };
}

/** The scores of one class column and whether each row belongs to it. */
function oneVsRest(labels: ArrayLike<number>, proba: Float32Array, k: number, c: number) {
  const scores = new Float64Array(labels.length);
  const positive = new Uint8Array(labels.length);
  for (let r = 0; r < labels.length; r++) {
    scores[r] = proba[r * k + c];
    positive[r] = labels[r] === c ? 1 : 0;
  }
  return { scores, positive };
}

function rocAucOneVsRest(labels: ArrayLike<number>, proba: Float32Array, k: number): number {
  if (k === 2) {
    const { scores, positive } = oneVsRest(labels, proba, k, 1);
    return binaryRocAuc(scores, positive);
  }
  const perClass = range(k).map((c) => {
    const { scores, positive } = oneVsRest(labels, proba, k, c);
    return binaryRocAuc(scores, positive);
  });
  return meanIgnoringNaN(perClass);
}

/**
 * ROC-AUC as the Mann-Whitney statistic: the mean rank of positives against negatives,
 * with tied scores given their average rank. NaN without both positives and negatives.
 */
export function binaryRocAuc(scores: ArrayLike<number>, positive: ArrayLike<number>): number {
  const ranks = averageRanks(scores);
  let positives = 0;
  let rankSum = 0;
  for (let r = 0; r < scores.length; r++) {
    if (positive[r]) {
      positives += 1;
      rankSum += ranks[r];
    }
  }
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** 1-based ranks in ascending order of score, ties sharing their average rank. */
function averageRanks(scores: ArrayLike<number>): Float64Array {
  const order = sortedIndices(scores, 1);
  const ranks = new Float64Array(scores.length);
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && scores[order[end]] === scores[order[start]]) end += 1;
    const rank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) ranks[order[i]] = rank;
    start = end;
  }
  return ranks;
}

function averagePrecisionOneVsRest(
  labels: ArrayLike<number>,
  proba: Float32Array,
  k: number,
): number {
  if (k === 2) {
    const { scores, positive } = oneVsRest(labels, proba, k, 1);
    return binaryAveragePrecision(scores, positive);
  }
  const perClass = range(k).map((c) => {
    const { scores, positive } = oneVsRest(labels, proba, k, c);
    return binaryAveragePrecision(scores, positive);
  });
  return meanIgnoringNaN(perClass);
}

/**
 * Average precision: the sum over distinct score thresholds (highest first) of the precision
 * at that threshold times the recall gained there. NaN without positives.
 */
export function binaryAveragePrecision(
  scores: ArrayLike<number>,
  positive: ArrayLike<number>,
): number {
  const order = sortedIndices(scores, -1);
  let totalPositives = 0;
  for (let r = 0; r < scores.length; r++) totalPositives += positive[r] ? 1 : 0;
  if (totalPositives === 0) return NaN;

  let truePositives = 0;
  let seen = 0;
  let previousRecall = 0;
  let precisionSum = 0;
  while (seen < order.length) {
    const threshold = scores[order[seen]];
    while (seen < order.length && scores[order[seen]] === threshold) {
      truePositives += positive[order[seen]] ? 1 : 0;
      seen += 1;
    }
    const recall = truePositives / totalPositives;
    precisionSum += (recall - previousRecall) * (truePositives / seen);
    previousRecall = recall;
  }
  return precisionSum;
}

function logLoss(labels: ArrayLike<number>, proba: Float32Array, k: number): number {
  let total = 0;
  for (let r = 0; r < labels.length; r++) {
    const p = Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, proba[r * k + labels[r]]));
    total -= Math.log(p);
  }
  return labels.length > 0 ? total / labels.length : NaN;
}

function brierScore(labels: ArrayLike<number>, proba: Float32Array, k: number): number {
  let total = 0;
  for (let r = 0; r < labels.length; r++) {
    for (let c = 0; c < k; c++) {
      const diff = proba[r * k + c] - (labels[r] === c ? 1 : 0);
      total += diff * diff;
    }
  }
  return labels.length > 0 ? total / labels.length : NaN;
}

function expectedCalibrationError(curve: ReliabilityBin[], rows: number): number {
  if (rows === 0) return NaN;
  let total = 0;
  for (const bin of curve) {
    if (bin.count > 0) total += (bin.count / rows) * Math.abs(bin.accuracy - bin.confidence);
  }
  return total;
}

/** Row indices sorted by score; direction 1 ascending, -1 descending; stable on ties. */
function sortedIndices(scores: ArrayLike<number>, direction: 1 | -1): Int32Array {
  const order = Int32Array.from(range(scores.length));
  return order.sort((a, b) => direction * (scores[a] - scores[b]) || a - b);
}

function meanIgnoringNaN(values: number[]): number {
  const finite = values.filter((v) => !Number.isNaN(v));
  return finite.length > 0 ? sum(finite) / finite.length : NaN;
}

function safeDivide(numerator: number, denominator: number): number {
  return denominator > 0 ? numerator / denominator : 0;
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
