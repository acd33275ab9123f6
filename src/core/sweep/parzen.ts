import type { Rng } from '../random';

/*
 * The density estimates of the tree-structured Parzen estimator: a mixture with one component
 * per observation and one for the prior, on a bounded interval or over a list of choices.
 */

/** A mixture of normal kernels truncated to [low, high], one per observation plus the prior. */
export class TruncatedParzen {
  private readonly mus: number[];
  private readonly sigmas: number[];
  private readonly weights: number[];

  /**
   * Each kernel is as wide as the larger gap to its neighbours (the bounds count as
   * neighbours), kept between range / min(100, n + 1) and the range; the prior is centred
   * and as wide as the range, and weighs `priorWeight` against 1 per observation.
   */
  constructor(
    observations: number[],
    private readonly low: number,
    private readonly high: number,
    priorWeight = 1,
  ) {
    const range = high - low;
    const prior = (low + high) / 2;
    const points = [...observations, prior].sort((a, b) => a - b);
    const narrowest = range / Math.min(100, points.length);
    const widths = points.map((x, i) => {
      const gap = Math.max(x - (points[i - 1] ?? low), (points[i + 1] ?? high) - x);
      return Math.min(range, Math.max(narrowest, gap));
    });
    const priorAt = points.indexOf(prior);

    this.mus = points;
    this.sigmas = widths.map((w, i) => (i === priorAt ? range : w));
    const raw = points.map((_, i) => (i === priorAt ? priorWeight : 1));
    const total = raw.reduce((s, w) => s + w, 0);
    this.weights = raw.map((w) => w / total);
  }

  /** A draw: a kernel chosen by weight, then a point of it inside the bounds. */
  sample(rng: Rng): number {
    const k = pick(this.weights, rng);
    for (let tries = 0; tries < 100; tries++) {
      const x = this.mus[k] + this.sigmas[k] * rng.normal();
      if (x >= this.low && x <= this.high) return x;
    }
    return Math.min(this.high, Math.max(this.low, this.mus[k]));
  }

  /** Log density at x. */
  logDensity(x: number): number {
    const density = this.mus.reduce((sum, mu, k) => {
      const sigma = this.sigmas[k];
      const z = (x - mu) / sigma;
      const kernel = Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI));
      return sum + (this.weights[k] * kernel) / this.kernelMass(k, this.low, this.high);
    }, 0);
    return Math.log(Math.max(density, Number.MIN_VALUE));
  }

  /** Log probability of the interval [from, to]: for whole numbers, the bin of a value. */
  logMass(from: number, to: number): number {
    const mass = this.mus.reduce(
      (sum, _, k) =>
        sum +
        (this.weights[k] * this.kernelMass(k, from, to)) / this.kernelMass(k, this.low, this.high),
      0,
    );
    return Math.log(Math.max(mass, Number.MIN_VALUE));
  }

  private kernelMass(k: number, from: number, to: number): number {
    const a = (from - this.mus[k]) / this.sigmas[k];
    const b = (to - this.mus[k]) / this.sigmas[k];
    return Math.max(normalCdf(b) - normalCdf(a), Number.MIN_VALUE);
  }
}

/** Choice probabilities: the prior spread evenly, plus 1 per observation of each choice. */
export class CategoricalParzen {
  private readonly probabilities: number[];

  constructor(observations: number[], choices: number, priorWeight = 1) {
    const counts = Array.from({ length: choices }, () => priorWeight / choices);
    for (const index of observations) counts[index] += 1;
    const total = counts.reduce((s, c) => s + c, 0);
    this.probabilities = counts.map((c) => c / total);
  }

  sample(rng: Rng): number {
    return pick(this.probabilities, rng);
  }

  logProbability(index: number): number {
    return Math.log(this.probabilities[index]);
  }
}

function pick(weights: number[], rng: Rng): number {
  let u = rng.next();
  for (let i = 0; i < weights.length - 1; i++) {
    if (u < weights[i]) return i;
    u -= weights[i];
  }
  return weights.length - 1;
}

/** The standard normal distribution function, from erf (Abramowitz and Stegun 7.1.26). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
