import type { ParameterValue, SamplerConfig, SweepParameter } from '../config/sweep-types';
import type { Rng } from '../random';
import type { ObservedTrial } from './history';
import { CategoricalParzen, TruncatedParzen } from './parzen';
import { randomSampler, trialRng } from './random-sampler';
import type { Sampler } from './sampler';
import { assign, binOf, fromInternal, internalBounds, sampleUniform } from './space';

type NumericParameter = Exclude<SweepParameter, { kind: 'categorical' }>;

/** Good trials are at most this many, however many trials there are. */
const MAX_GOOD = 25;

/**
 * The tree-structured Parzen estimator (Bergstra et al., 2011). The finished trials are split
 * into the best `gamma` fraction (good) and the rest (bad; pruned trials are always bad). For
 * each parameter, one density is fitted to its values in good trials, l(x), and one to bad
 * trials, g(x); candidates are drawn from l and the one with the highest l(x)/g(x) is tried.
 * Parameters are estimated one by one, each from the trials in which it was active, which is
 * what makes conditional ("tree-structured") spaces work. The first `startupTrials` are random.
 * Trials still running count as bad (see splitTrials).
 */
export function tpeSampler(parameters: SweepParameter[], config: SamplerConfig): Sampler {
  const random = randomSampler(parameters, config.seed);

  return {
    suggest: (number, history) => {
      const completed = history.filter((t) => t.state === 'completed' && t.loss !== undefined);
      if (completed.length < Math.max(1, config.startupTrials))
        return random.suggest(number, history);

      const { good, bad } = splitTrials(history, config.gamma);
      const rng = trialRng(config.seed, number);
      return assign(parameters, (p) => suggestOne(p, good, bad, config.candidates, rng));
    },
  };
}

/**
 * Completed trials from best to worst, then pruned ones (the deeper they got, the better);
 * the first ceil(gamma · n) of them, at most 25, are good. Trials still running (a sweep with
 * `parallel` above 1) are bad whatever they turn out to be: the "constant liar" of parallel
 * Bayesian optimization, which pretends they will score worst so that the next suggestion
 * moves away from values already being tried rather than repeating them.
 */
export function splitTrials(
  history: ObservedTrial[],
  gamma: number,
): { good: ObservedTrial[]; bad: ObservedTrial[] } {
  const completed = history
    .filter((t) => t.state === 'completed' && t.loss !== undefined)
    .sort((a, b) => (a.loss as number) - (b.loss as number));
  const pruned = history
    .filter((t) => t.state === 'pruned')
    .sort((a, b) => b.curve.length - a.curve.length);
  const running = history.filter((t) => t.state === 'running');
  const ranked = [...completed, ...pruned];
  const goodCount = Math.min(MAX_GOOD, Math.max(1, Math.ceil(gamma * ranked.length)));

  return { good: ranked.slice(0, goodCount), bad: [...ranked.slice(goodCount), ...running] };
}

function suggestOne(
  p: SweepParameter,
  good: ObservedTrial[],
  bad: ObservedTrial[],
  candidates: number,
  rng: Rng,
): ParameterValue {
  const observed = (trials: ObservedTrial[]): ParameterValue[] =>
    trials.filter((t) => p.path in t.params).map((t) => t.params[p.path]);
  const [inGood, inBad] = [observed(good), observed(bad)];
  // A parameter no good trial has had (a condition just became true) is drawn from its prior.
  if (inGood.length === 0) return sampleUniform(p, rng);

  return p.kind === 'categorical'
    ? suggestChoice(p.choices, inGood, inBad, candidates, rng)
    : suggestNumber(p, inGood as number[], inBad as number[], candidates, rng);
}

function suggestNumber(
  p: NumericParameter,
  good: number[],
  bad: number[],
  candidates: number,
  rng: Rng,
): number {
  const { low, high } = internalBounds(p);
  const internal = (values: number[]): number[] => values.map((v) => (p.log ? Math.log(v) : v));
  const l = new TruncatedParzen(internal(good), low, high);
  const g = new TruncatedParzen(internal(bad), low, high);
  const score = (value: number): number => {
    if (p.kind === 'float') {
      const x = p.log ? Math.log(value) : value;
      return l.logDensity(x) - g.logDensity(x);
    }
    const [from, to] = binOf(p, value);
    return l.logMass(from, to) - g.logMass(from, to);
  };

  return best(
    Array.from({ length: candidates }, () => fromInternal(p, l.sample(rng))),
    score,
  );
}

function suggestChoice(
  choices: ParameterValue[],
  good: ParameterValue[],
  bad: ParameterValue[],
  candidates: number,
  rng: Rng,
): ParameterValue {
  const indices = (values: ParameterValue[]): number[] => values.map((v) => choices.indexOf(v));
  const l = new CategoricalParzen(indices(good), choices.length);
  const g = new CategoricalParzen(indices(bad), choices.length);
  const drawn = Array.from({ length: candidates }, () => l.sample(rng));

  return choices[best(drawn, (i) => l.logProbability(i) - g.logProbability(i))];
}

/** The candidate with the highest score; the first of equals. */
function best<T>(candidates: T[], score: (candidate: T) => number): T {
  let chosen = candidates[0];
  let top = score(chosen);
  for (const candidate of candidates.slice(1)) {
    const s = score(candidate);
    if (s > top) [chosen, top] = [candidate, s];
  }
  return chosen;
}
