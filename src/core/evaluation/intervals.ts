import type { BootstrapConfig } from '../config/types';
import type { Dataset } from '../data/types';
import { score } from '../ensembles/evaluate';
import { bootstrapIntervals } from '../metrics/bootstrap';
import type { Rng } from '../random';
import type { MetricIntervals } from './types';

/**
 * Bootstrap intervals on every test metric of some outputs: the test rows are resampled with
 * replacement `resamples` times and each metric is recomputed on each resample. Undefined
 * when the settings turn them off or there are no test rows.
 */
export function metricIntervals(
  test: Dataset,
  outputs: Float32Array,
  settings: BootstrapConfig | undefined,
  rng: Rng,
): MetricIntervals | undefined {
  if (!settings || settings.resamples === 0 || test.rows === 0) return undefined;

  const width = outputs.length / test.rows;
  const statistics = (rows: Int32Array): Record<string, number> =>
    score(resampled(test, rows), pick(outputs, rows, width)).metrics;
  const metrics = bootstrapIntervals(
    test.rows,
    statistics,
    rng,
    settings.resamples,
    settings.level,
  );
  return { resamples: settings.resamples, level: settings.level, metrics };
}

/** The labels of `rows` (the features are not needed to score outputs). */
function resampled(test: Dataset, rows: Int32Array): Dataset {
  return { ...test, y: Float32Array.from(rows, (r) => test.y[r]), rows: rows.length };
}

function pick(outputs: Float32Array, rows: Int32Array, width: number): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => out.set(outputs.subarray(r * width, (r + 1) * width), i * width));
  return out;
}
