import type { SweepParameter } from '../config/sweep-types';
import { Rng } from '../random';
import type { Sampler } from './sampler';
import { assign, sampleUniform } from './space';

/** Every active parameter drawn independently from its prior. */
export function randomSampler(parameters: SweepParameter[], seed: number): Sampler {
  return {
    suggest: (number) => {
      const rng = trialRng(seed, number);
      return assign(parameters, (p) => sampleUniform(p, rng));
    },
  };
}

/** The random stream of one trial: depends only on the sweep's seed and the trial number. */
export function trialRng(seed: number, number: number): Rng {
  return new Rng(seed).fork(number);
}
