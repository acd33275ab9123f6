import type { ParameterValue, SweepParameter } from '../config/sweep-types';
import type { Rng } from '../random';

/** The values one trial gives its searched settings, by path; inactive ones are absent. */
export type Assignment = Record<string, ParameterValue>;

/** Whether a parameter is searched, given the values chosen before it. */
export function isActive(parameter: SweepParameter, chosen: Assignment): boolean {
  const when = parameter.when;
  if (!when) return true;
  return when.path in chosen && when.values.includes(chosen[when.path]);
}

/**
 * Numeric parameters are sampled in an internal space: the log of the value for log ranges,
 * and, for whole numbers, a range widened by half a step on each side so that every allowed
 * value owns an interval of the same width (in that space).
 */
export function internalBounds(p: Exclude<SweepParameter, { kind: 'categorical' }>): {
  low: number;
  high: number;
} {
  const half = p.kind === 'int' ? (p.log ? 0.5 : p.step / 2) : 0;
  return { low: toInternal(p, p.low - half), high: toInternal(p, p.high + half) };
}

export function toInternal(
  p: Exclude<SweepParameter, { kind: 'categorical' }>,
  value: number,
): number {
  return p.log ? Math.log(value) : value;
}

/** The allowed value nearest to a point of the internal space. */
export function fromInternal(
  p: Exclude<SweepParameter, { kind: 'categorical' }>,
  x: number,
): number {
  const value = p.log ? Math.exp(x) : x;
  if (p.kind === 'float') return Math.min(p.high, Math.max(p.low, value));
  const steps = Math.round((value - p.low) / p.step);
  const maxSteps = Math.floor((p.high - p.low) / p.step);

  return p.low + Math.min(maxSteps, Math.max(0, steps)) * p.step;
}

/** The interval of the internal space that rounds to a whole-number value. */
export function binOf(
  p: Extract<SweepParameter, { kind: 'int' }>,
  value: number,
): [number, number] {
  const half = p.log ? 0.5 : p.step / 2;
  return [toInternal(p, value - half), toInternal(p, value + half)];
}

/** One value drawn from the parameter's prior: uniform in its internal space, or a choice. */
export function sampleUniform(p: SweepParameter, rng: Rng): ParameterValue {
  if (p.kind === 'categorical') return p.choices[rng.int(p.choices.length)];
  const { low, high } = internalBounds(p);
  return fromInternal(p, low + rng.next() * (high - low));
}

/** A value for every active parameter, each drawn by `draw`, in writing order. */
export function assign(
  parameters: SweepParameter[],
  draw: (p: SweepParameter, chosen: Assignment) => ParameterValue,
): Assignment {
  const chosen: Assignment = {};
  for (const p of parameters) if (isActive(p, chosen)) chosen[p.path] = draw(p, chosen);

  return chosen;
}

/** An assignment as a stable string, to tell whether two trials tried the same values. */
export function assignmentKey(assignment: Assignment): string {
  return JSON.stringify(Object.entries(assignment).sort(([a], [b]) => (a < b ? -1 : 1)));
}
