import type { ParameterValue, SweepParameter } from '../config/sweep-types';
import type { ObservedTrial } from './history';
import type { Sampler } from './sampler';
import { assignmentKey, fromInternal, isActive, toInternal, type Assignment } from './space';

/**
 * Every combination of the parameters' grid values, in writing order (the last parameter
 * changes fastest). Each trial takes the first combination no earlier trial has tried; a
 * parameter whose condition does not hold is left out, and the combinations it would have
 * multiplied are tried once.
 */
export function gridSampler(parameters: SweepParameter[], points: number): Sampler {
  const grid = combinations(parameters, points);

  return {
    suggest: (_number: number, history: ObservedTrial[]) => {
      const tried = new Set(history.map((t) => assignmentKey(t.params)));
      return grid.find((a) => !tried.has(assignmentKey(a)));
    },
  };
}

/** The grid's combinations, each once. */
export function combinations(parameters: SweepParameter[], points: number): Assignment[] {
  let partial: Assignment[] = [{}];
  for (const p of parameters) {
    partial = partial.flatMap((chosen) =>
      isActive(p, chosen)
        ? gridValues(p, points).map((v) => ({ ...chosen, [p.path]: v }))
        : [chosen],
    );
  }
  const seen = new Set<string>();

  return partial.filter(
    (a) => !seen.has(assignmentKey(a)) && seen.add(assignmentKey(a)) !== undefined,
  );
}

/** The choices, or `points` values evenly across the range (in log for log ranges). */
export function gridValues(p: SweepParameter, points: number): ParameterValue[] {
  if (p.kind === 'categorical') return p.choices;
  if (p.kind === 'int' && (p.high - p.low) / p.step + 1 <= points) {
    return Array.from(
      { length: Math.floor((p.high - p.low) / p.step) + 1 },
      (_, i) => p.low + i * p.step,
    );
  }
  const low = toInternal(p, p.low);
  const high = toInternal(p, p.high);
  const values = Array.from({ length: points }, (_, i) =>
    fromInternal(p, low + ((high - low) * i) / (points - 1)),
  );

  return [...new Set(values)];
}
