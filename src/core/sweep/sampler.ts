import type { SamplerConfig, SweepParameter } from '../config/sweep-types';
import { gridSampler } from './grid';
import type { ObservedTrial } from './history';
import { randomSampler } from './random-sampler';
import type { Assignment } from './space';
import { tpeSampler } from './tpe';

/**
 * Chooses the settings of the next trial from the trials so far. A sampler keeps no state of
 * its own: given the same seed, trial number and history it gives the same answer, so a sweep
 * resumes from its manifest alone. Undefined means the space is used up (a finished grid).
 */
export interface Sampler {
  suggest(number: number, history: ObservedTrial[]): Assignment | undefined;
}

/** The sampler a sweep config names, over its parameters. */
export function createSampler(config: SamplerConfig, parameters: SweepParameter[]): Sampler {
  switch (config.type) {
    case 'random':
      return randomSampler(parameters, config.seed);
    case 'grid':
      return gridSampler(parameters, config.gridPoints);
    case 'tpe':
      return tpeSampler(parameters, config);
  }
}
