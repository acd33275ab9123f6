import type { SweepParameter } from '../config/sweep-types';
import type { TrialRecord } from './manifest';

/** How much of the objective's spread over completed trials each parameter accounts for. */
export interface ParameterImportance {
  path: string;
  /** Share of the total, 0..1; the shares of all parameters add up to 1. */
  importance: number;
  /** The correlation ratio η² the share was made from, 0..1. */
  etaSquared: number;
}

/** Bins a numeric parameter's values are cut into (by rank), at most. */
const BINS = 4;

/**
 * Parameter importance by the correlation ratio: the trials are grouped by the parameter's
 * value (its choices, or numbers cut into up to four bins of equal count), and η² is the part
 * of the objective's variance that lies between the groups' means. Each η² is then taken as a
 * share of their sum. It sees one parameter at a time, so it misses what parameters do only
 * together; with fewer than three completed trials every importance is 0.
 */
export function parameterImportance(
  parameters: SweepParameter[],
  trials: TrialRecord[],
): ParameterImportance[] {
  const done = trials.filter((t) => t.state === 'completed' && t.value !== undefined);
  const eta = parameters.map((p) => (done.length < 3 ? 0 : etaSquared(p, done)));
  const total = eta.reduce((s, e) => s + e, 0);

  return parameters.map((p, i) => ({
    path: p.path,
    importance: total > 0 ? eta[i] / total : 0,
    etaSquared: eta[i],
  }));
}

function etaSquared(p: SweepParameter, trials: TrialRecord[]): number {
  const active = trials.filter((t) => p.path in t.params);
  const values = active.map((t) => t.value as number);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const totalSquares = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  if (active.length < 3 || totalSquares === 0) return 0;

  const groups = new Map<string, number[]>();
  groupKeys(p, active).forEach((key, i) =>
    groups.set(key, [...(groups.get(key) ?? []), values[i]]),
  );
  const between = [...groups.values()].reduce((s, group) => {
    const groupMean = group.reduce((a, v) => a + v, 0) / group.length;
    return s + group.length * (groupMean - mean) ** 2;
  }, 0);

  return between / totalSquares;
}

/** Each trial's group: its choice, or the rank bin of its number. */
function groupKeys(p: SweepParameter, trials: TrialRecord[]): string[] {
  if (p.kind === 'categorical') return trials.map((t) => JSON.stringify(t.params[p.path]));
  const order = trials
    .map((t, i) => ({ i, v: t.params[p.path] as number }))
    .sort((a, b) => a.v - b.v);
  const keys: string[] = new Array(trials.length);
  order.forEach(({ i }, rank) => (keys[i] = String(Math.floor((rank * BINS) / trials.length))));
  return keys;
}
