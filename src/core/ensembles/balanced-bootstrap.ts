import type { Dataset } from '../data/types';
import type { Rng } from '../random';

/**
 * A class-balanced bootstrap sample of `count` training rows: the classes take turns, and
 * each turn draws one row of that class with replacement, so every class gives about
 * `count / classes` rows however rare it is. Classes with no training rows are skipped.
 */
export function balancedBootstrap(train: Dataset, count: number, rng: Rng): Int32Array {
  const byClass: number[][] = train.classes.map(() => []);
  train.y.forEach((y, row) => byClass[y].push(row));
  const present = byClass.filter((rows) => rows.length > 0);

  return Int32Array.from({ length: count }, (_, i) => {
    const rows = present[i % present.length];
    return rows[rng.int(rows.length)];
  });
}
