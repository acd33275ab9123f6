import type { Schedule } from '../config/types';

/**
 * The learning rate for one epoch (0-based) of `epochs`. Cosine falls from `base` to the
 * minimum over the whole run; cyclic repeats that fall every `cycleLength` epochs.
 */
export function learningRateAt(
  schedule: Schedule,
  base: number,
  epoch: number,
  epochs: number,
): number {
  switch (schedule.type) {
    case 'constant':
      return base;
    case 'step':
      return base * schedule.gamma ** Math.floor(epoch / schedule.stepSize);
    case 'cosine':
      return cosine(base, schedule.minLearningRate, epoch, epochs);
    case 'cyclic':
      return cosine(
        base,
        schedule.minLearningRate,
        epoch % schedule.cycleLength,
        schedule.cycleLength,
      );
  }
}

/** Half a cosine from `high` at step 0 to `low` at the last of `steps` steps. */
function cosine(high: number, low: number, step: number, steps: number): number {
  if (steps <= 1) return high;
  const progress = Math.min(step / (steps - 1), 1);
  return low + ((high - low) * (1 + Math.cos(Math.PI * progress))) / 2;
}
