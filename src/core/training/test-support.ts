// Helpers for this folder's tests (and the members tests): a small reader for the example
// CSVs, so these tests do not depend on the data module, and default member/training specs.
import { readFileSync } from 'node:fs';
import type { MemberSpec, Task, TrainingConfig } from '../config/types';
import type { Dataset } from '../data/types';
import { join } from 'node:path';
import { EXAMPLE_DATA } from '../example-data.test-util';

export interface CsvOptions {
  task: Task;
  /** Defaults to `[features]`. */
  inputShape?: number[];
  /** Scale each feature to mean 0, standard deviation 1 (else divide by `divideBy`). */
  standardize?: boolean;
  divideBy?: number;
  /** Standardize a regression target too. */
  standardizeTarget?: boolean;
}

/** Reads `examples/data/<name>.csv` (header row, target last) into a Dataset. */
export function readExampleCsv(name: string, options: CsvOptions): Dataset {
  const lines = readFileSync(join(EXAMPLE_DATA, `${name}.csv`), 'utf8')
    .trim()
    .split(/\r?\n/);
  const header = lines[0].split(',');
  const cells = lines.slice(1).map((line) => line.split(','));
  const features = header.length - 1;
  const x = Float32Array.from(cells.flatMap((row) => row.slice(0, features).map(Number)));
  const targets = cells.map((row) => row[features]);

  const classes = options.task === 'classification' ? classNames(targets) : [];
  const y = Float32Array.from(targets, (t) =>
    classes.length > 0 ? classes.indexOf(t) : Number(t),
  );
  if (options.standardize) standardizeColumns(x, features);
  else if (options.divideBy) x.forEach((v, i) => (x[i] = v / (options.divideBy ?? 1)));
  if (options.standardizeTarget) standardizeColumns(y, 1);

  const inputShape = options.inputShape ?? [features];
  const featureNames = header.slice(0, features);
  return {
    x,
    y,
    rows: cells.length,
    features,
    inputShape,
    featureNames,
    task: options.task,
    classes,
  };
}

/** The given rows of a data set, as a new data set. */
export function subset(data: Dataset, rows: number[]): Dataset {
  const f = data.features;
  const x = new Float32Array(rows.length * f);
  rows.forEach((row, i) => x.set(data.x.subarray(row * f, row * f + f), i * f));
  const y = Float32Array.from(rows, (row) => data.y[row]);
  return { ...data, x, y, rows: rows.length };
}

/** A member spec with plain defaults, overridden by `changes`. */
export function memberSpec(changes: Partial<MemberSpec>): MemberSpec {
  return {
    name: 'member',
    model: 'mlp',
    hidden: [16],
    activation: 'relu',
    dropout: 0,
    batchNorm: false,
    l1: 0,
    l2: 0,
    filters: [8],
    kernelSize: 3,
    dense: 16,
    minSamples: 3,
    trees: 10,
    maxFeatures: 0.7,
    level: 1,
    options: {},
    trainable: false,
    training: {},
    ...changes,
  };
}

/** Training settings with plain defaults, overridden by `changes`. */
export function trainingConfig(changes: Partial<TrainingConfig>): TrainingConfig {
  return {
    epochs: 10,
    batchSize: 32,
    optimizer: 'adam',
    learningRate: 0.01,
    momentum: 0,
    schedule: { type: 'constant' },
    seed: 1,
    ...changes,
  };
}

/** Class labels in a stable order: numeric labels by value, others alphabetically. */
function classNames(targets: string[]): string[] {
  const unique = [...new Set(targets)];
  const numeric = unique.every((t) => t.trim() !== '' && !Number.isNaN(Number(t)));
  return numeric ? unique.sort((a, b) => Number(a) - Number(b)) : unique.sort();
}

function standardizeColumns(values: Float32Array, columns: number): void {
  const rows = values.length / columns;
  for (let c = 0; c < columns; c++) {
    let sum = 0;
    let squares = 0;
    for (let r = 0; r < rows; r++) sum += values[r * columns + c];
    const mean = sum / rows;
    for (let r = 0; r < rows; r++) squares += (values[r * columns + c] - mean) ** 2;
    const sd = Math.sqrt(squares / rows) || 1;
    for (let r = 0; r < rows; r++) values[r * columns + c] = (values[r * columns + c] - mean) / sd;
  }
}
