import type { Rng } from '../random';

/** A bootstrap percentile interval around the statistic of the full sample. */
export interface BootstrapInterval {
  low: number;
  high: number;
  /** The statistic on all n rows, once, without resampling. */
  estimate: number;
}

/**
 * Percentile bootstrap: the statistic is evaluated on `resamples` draws of n row indices
 * with replacement, and the interval is the central `level` share of those values
 * (quantiles interpolated linearly, as numpy's default). Resamples on which the statistic
 * is NaN (say, an AUC on a draw with one class) are left out; if all are, the bounds are NaN.
 * @param n number of rows
 * @param statistic computes the statistic from the row indices of one sample
 * @param rng the source of every draw, so the interval is reproducible from the run's seed
 */
export function bootstrapInterval(
  n: number,
  statistic: (rows: Int32Array) => number,
  rng: Rng,
  resamples = 1000,
  level = 0.95,
): BootstrapInterval {
  if (!(level > 0 && level < 1)) throw new RangeError(`level ${level} is not inside (0, 1)`);
  const estimate = statistic(Int32Array.from({ length: n }, (_, i) => i));

  const values: number[] = [];
  const rows = new Int32Array(n);
  for (let s = 0; s < resamples; s++) {
    for (let i = 0; i < n; i++) rows[i] = rng.int(n);
    const value = statistic(rows);
    if (!Number.isNaN(value)) values.push(value);
  }
  values.sort((a, b) => a - b);

  const tail = (1 - level) / 2;
  return { low: quantile(values, tail), high: quantile(values, 1 - tail), estimate };
}

/** Linear-interpolation quantile of sorted values; NaN for none. */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}

/**
 * Percentile bootstrap intervals of several statistics at once, all from the same resamples:
 * `statistics` computes every value of one sample, by name. Names missing from a resample,
 * or NaN on it, are left out of that name's values, as in {@link bootstrapInterval}.
 */
export function bootstrapIntervals(
  n: number,
  statistics: (rows: Int32Array) => Record<string, number>,
  rng: Rng,
  resamples = 1000,
  level = 0.95,
): Record<string, BootstrapInterval> {
  if (!(level > 0 && level < 1)) throw new RangeError(`level ${level} is not inside (0, 1)`);
  const estimates = statistics(Int32Array.from({ length: n }, (_, i) => i));
  const values = new Map(Object.keys(estimates).map((name) => [name, [] as number[]]));

  const rows = new Int32Array(n);
  for (let s = 0; s < resamples; s++) {
    for (let i = 0; i < n; i++) rows[i] = rng.int(n);
    for (const [name, value] of Object.entries(statistics(rows)))
      if (!Number.isNaN(value)) values.get(name)?.push(value);
  }

  const tail = (1 - level) / 2;
  return Object.fromEntries(
    [...values].map(([name, draws]) => {
      draws.sort((a, b) => a - b);
      const interval = { low: quantile(draws, tail), high: quantile(draws, 1 - tail) };
      return [name, { ...interval, estimate: estimates[name] }];
    }),
  );
}
