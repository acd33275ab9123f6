import type { SweepParameter } from '../config/sweep-types';
import type { SweepManifest, TrialRecord } from './manifest';

/*
 * The series the sweep panel plots, computed from sweep.json. No DOM and no Node: the webview
 * imports this, and tests run it.
 */

/** A point of a chart. */
export interface Point {
  x: number;
  y: number;
}

/** Completed trials with their objective, in trial order. */
export function completedTrials(manifest: SweepManifest): (TrialRecord & { value: number })[] {
  return manifest.trials.filter(
    (t): t is TrialRecord & { value: number } => t.state === 'completed' && t.value !== undefined,
  );
}

/** Optimization history: each completed trial's objective, and the best so far after it. */
export function historySeries(manifest: SweepManifest): { trials: Point[]; best: Point[] } {
  const minimize = manifest.objective.direction === 'minimize';
  const trials = completedTrials(manifest).map((t) => ({ x: t.number, y: t.value }));
  let best: number | undefined;
  const bestSoFar = trials.map((p) => {
    best = best === undefined || (minimize ? p.y < best : p.y > best) ? p.y : best;
    return { x: p.x, y: best };
  });

  return { trials, best: bestSoFar };
}

/**
 * Where a value sits on its parameter's axis, from 0 (low, or the first choice) to 1 (high,
 * or the last choice); in log scale for log ranges. Undefined when the trial had no value.
 */
export function axisPosition(p: SweepParameter, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (p.kind === 'categorical') {
    const index = p.choices.indexOf(value as string | number | boolean);
    return p.choices.length === 1 ? 0.5 : index / (p.choices.length - 1);
  }
  const scale = (x: number): number => (p.log ? Math.log(x) : x);
  return (scale(value as number) - scale(p.low)) / (scale(p.high) - scale(p.low));
}

/**
 * Parallel coordinates: one line per completed trial through every parameter's axis (a gap
 * where it was not searched) and, last, the objective scaled between the worst and the best.
 */
export function parallelLines(manifest: SweepManifest): { trial: number; y: (number | null)[] }[] {
  const trials = completedTrials(manifest);
  const values = trials.map((t) => t.value);
  const [low, high] = [Math.min(...values), Math.max(...values)];
  const parameters = manifest.sweep.parameters;

  return trials.map((t) => ({
    trial: t.number,
    y: [
      ...parameters.map((p) => axisPosition(p, t.params[p.path]) ?? null),
      high > low ? (t.value - low) / (high - low) : 0.5,
    ],
  }));
}

/** Slice plot of one parameter: its value (numbers) or choice index against the objective. */
export function sliceSeries(manifest: SweepManifest, p: SweepParameter): Point[] {
  return completedTrials(manifest)
    .filter((t) => p.path in t.params)
    .map((t) => {
      const value = t.params[p.path];
      const x = p.kind === 'categorical' ? p.choices.indexOf(value) : (value as number);
      return { x, y: t.value };
    });
}
