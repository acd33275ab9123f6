/**
 * Diversity between ensemble members. For classifiers, each member is reduced to its
 * "oracle" output (correct or not on each row) and each pair to the 2x2 table of
 * Kuncheva & Whitaker (2003): N11 both correct, N10 only the first, N01 only the second,
 * N00 both wrong.
 */

/** Pairwise diversity of two classifier members. */
export interface PairDiversity {
  a: string;
  b: string;
  /** (N01 + N10) / N: how often exactly one of the pair is right. Higher is more diverse. */
  disagreement: number;
  /**
   * Yule's Q, (N11 N00 - N01 N10) / (N11 N00 + N01 N10), in [-1, 1]; lower is more diverse.
   * NaN when the denominator is 0 (e.g. both members always right): the statistic is
   * undefined there, and 0 would wrongly claim the pair is independent.
   */
  qStatistic: number;
  /** Correlation of the oracle outputs; NaN when either member is always right or wrong. */
  correlation: number;
  /** N00 / N: how often both are wrong. Lower is better. */
  doubleFault: number;
}

/** Every pair, and the means over pairs (NaN pairs are left out of a mean). */
export interface DiversityReport {
  pairs: PairDiversity[];
  mean: { disagreement: number; qStatistic: number; correlation: number; doubleFault: number };
}

/** A member's hard predictions (class indices for classifiers, values for regressors). */
export interface MemberPredictions {
  name: string;
  predicted: ArrayLike<number>;
}

/** Pairwise diversity of classifier members; fewer than 2 members give no pairs, NaN means. */
export function classifierDiversity(
  labels: ArrayLike<number>,
  members: MemberPredictions[],
): DiversityReport {
  const oracles = members.map((m) => oracleOutputs(labels, m));
  const pairs: PairDiversity[] = [];
  for (let i = 0; i < members.length; i++) {
    for (let j = i + 1; j < members.length; j++) {
      pairs.push({
        a: members[i].name,
        b: members[j].name,
        ...pairStatistics(oracles[i], oracles[j]),
      });
    }
  }
  return {
    pairs,
    mean: {
      disagreement: meanOf(pairs.map((p) => p.disagreement)),
      qStatistic: meanOf(pairs.map((p) => p.qStatistic)),
      correlation: meanOf(pairs.map((p) => p.correlation)),
      doubleFault: meanOf(pairs.map((p) => p.doubleFault)),
    },
  };
}

/**
 * Pearson correlation of the residuals (prediction - target) of every pair of regressor
 * members: members that err the same way add little to an average. NaN for a constant
 * residual; fewer than 2 members give no pairs and a NaN mean.
 */
export function regressorDiversity(
  yTrue: ArrayLike<number>,
  members: MemberPredictions[],
): { pairs: { a: string; b: string; errorCorrelation: number }[]; meanErrorCorrelation: number } {
  const residuals = members.map((m) => {
    checkLength(yTrue, m);
    return Float64Array.from(yTrue, (y, i) => m.predicted[i] - y);
  });
  const pairs: { a: string; b: string; errorCorrelation: number }[] = [];
  for (let i = 0; i < members.length; i++) {
    for (let j = i + 1; j < members.length; j++) {
      const errorCorrelation = pearson(residuals[i], residuals[j]);
      pairs.push({ a: members[i].name, b: members[j].name, errorCorrelation });
    }
  }
  return { pairs, meanErrorCorrelation: meanOf(pairs.map((p) => p.errorCorrelation)) };
}

/** The four diversity measures from two oracle vectors (1 = correct). */
export function pairStatistics(
  first: Uint8Array,
  second: Uint8Array,
): Omit<PairDiversity, 'a' | 'b'> {
  const table = { n11: 0, n10: 0, n01: 0, n00: 0 };
  for (let r = 0; r < first.length; r++) {
    if (first[r] && second[r]) table.n11 += 1;
    else if (first[r]) table.n10 += 1;
    else if (second[r]) table.n01 += 1;
    else table.n00 += 1;
  }
  return statisticsFromTable(table);
}

/** The four measures from the counts of the 2x2 table. */
export function statisticsFromTable(table: {
  n11: number;
  n10: number;
  n01: number;
  n00: number;
}): Omit<PairDiversity, 'a' | 'b'> {
  const { n11, n10, n01, n00 } = table;
  const n = n11 + n10 + n01 + n00;
  const agreement = n11 * n00 - n01 * n10;
  const qDenominator = n11 * n00 + n01 * n10;
  const rhoDenominator = Math.sqrt((n11 + n10) * (n01 + n00) * (n11 + n01) * (n10 + n00));
  return {
    disagreement: n > 0 ? (n01 + n10) / n : NaN,
    qStatistic: qDenominator !== 0 ? agreement / qDenominator : NaN,
    correlation: rhoDenominator !== 0 ? agreement / rhoDenominator : NaN,
    doubleFault: n > 0 ? n00 / n : NaN,
  };
}

function oracleOutputs(labels: ArrayLike<number>, member: MemberPredictions): Uint8Array {
  checkLength(labels, member);
  return Uint8Array.from(labels, (label, r) => (member.predicted[r] === label ? 1 : 0));
}

function checkLength(targets: ArrayLike<number>, member: MemberPredictions): void {
  if (member.predicted.length !== targets.length) {
    throw new RangeError(
      `member ${member.name} has ${member.predicted.length} predictions for ${targets.length} rows`,
    );
  }
}

function pearson(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  const meanX = x.reduce((s, v) => s + v, 0) / n;
  const meanY = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - meanX) * (y[i] - meanY);
    sxx += (x[i] - meanX) ** 2;
    syy += (y[i] - meanY) ** 2;
  }
  const denominator = Math.sqrt(sxx * syy);
  return denominator > 0 ? sxy / denominator : NaN;
}

function meanOf(values: number[]): number {
  const defined = values.filter((v) => !Number.isNaN(v));
  return defined.length > 0 ? defined.reduce((s, v) => s + v, 0) / defined.length : NaN;
}
