import type { Rng } from '../random';

/** Row indices on the two sides of a split, each in ascending order. */
export interface RowSplit {
  kept: number[];
  held: number[];
}

/**
 * Holds out `fraction` of `rows` at random. With `strata` (a class index per row of the
 * table) each class gives the same fraction, rounded per class, so class proportions survive
 * the split. Classes are visited in index order, so the result depends only on the rng.
 */
export function splitRows(
  rows: ArrayLike<number>,
  fraction: number,
  rng: Rng,
  strata?: ArrayLike<number>,
): RowSplit {
  const groups = strata ? groupBy(rows, strata) : [Array.from(rows)];
  const kept: number[] = [];
  const held: number[] = [];

  for (const group of groups) {
    rng.shuffle(group);
    const count = Math.round(fraction * group.length);
    held.push(...group.slice(0, count));
    kept.push(...group.slice(count));
  }
  return { kept: kept.sort((a, b) => a - b), held: held.sort((a, b) => a - b) };
}

function groupBy(rows: ArrayLike<number>, strata: ArrayLike<number>): number[][] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < rows.length; i++) {
    const key = strata[rows[i]];
    const group = groups.get(key);
    if (group) group.push(rows[i]);
    else groups.set(key, [rows[i]]);
  }
  return [...groups.keys()].sort((a, b) => a - b).map((key) => groups.get(key) as number[]);
}

/**
 * Assigns each of `count` rows to one of `folds` folds at random, dealing each class's rows out
 * in turn when `strata` gives classes, so every fold keeps the class proportions.
 */
export function assignFolds(
  count: number,
  folds: number,
  rng: Rng,
  strata?: ArrayLike<number>,
): Int32Array {
  const rows = Array.from({ length: count }, (_, i) => i);
  const groups = strata ? groupBy(rows, strata) : [rows];
  const foldOf = new Int32Array(count);
  let next = 0;

  for (const group of groups) {
    rng.shuffle(group);
    for (const row of group) foldOf[row] = next++ % folds;
  }
  return foldOf;
}
