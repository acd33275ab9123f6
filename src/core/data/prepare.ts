import type { DataConfig, DataSource, Task } from '../config/types';
import { UserError } from '../errors';
import type { Logger } from '../log';
import { Rng } from '../random';
import { readCsv } from './csv';
import { IDX_LABEL_COLUMN, readIdx } from './idx';
import { readParquet } from './parquet';
import { applyPreprocessor, fitPreprocessor, sharedFloat32, takeRows } from './preprocess';
import { splitRows } from './split';
import { cellPosition, describeRow, findColumn, type RawColumn, type RawTable } from './table';
import type { Dataset, PreparedData } from './types';
import { classNames, inferTask, requireColumn, typeColumns } from './typing';

export { applyPreprocessor } from './preprocess';
export type { RawColumn, RawTable } from './table';

/** Reads a table file or an IDX pair into raw columns. */
export async function readSource(source: DataSource): Promise<RawTable> {
  if (source.kind === 'idx') return readIdx(source.images, source.labels);
  return source.format === 'parquet' ? readParquet(source.path) : readCsv(source.path);
}

/** The tables and facts every later step of preparation works from. */
export interface Typed {
  train: RawTable;
  test?: RawTable;
  target: string;
  task: Task;
  classes: string[];
}

/**
 * Reads, types, splits and preprocesses the data of a config. Every random choice comes from
 * `seed`; preprocessing is fitted on the training rows only and then applied to the
 * validation and test rows. `sourceFile` (the config file) is where config mistakes point;
 * `sampleWeightColumn` is taken out of the features and returned as per-row weights.
 */
export async function prepareData(
  config: DataConfig,
  seed: number,
  logger: Logger,
  sourceFile?: string,
  sampleWeightColumn?: string,
): Promise<PreparedData> {
  const typed = await readAndType(config, logger, sourceFile, sampleWeightColumn);
  const prepared = prepareSplit(typed, config, splitParts(typed, config, seed), sampleWeightColumn);
  logSummary(logger, prepared);
  return prepared;
}

/** Reads the config's tables, types their columns and decides the task and classes. */
export async function readAndType(
  config: DataConfig,
  logger: Logger,
  sourceFile: string | undefined,
  weightColumn: string | undefined,
): Promise<Typed> {
  const raw = [await readSource(config.train)];
  if (config.test.kind === 'source') raw.push(await readSource(config.test.source));
  raw.forEach((t) =>
    logger.log('debug', `read ${t.path}: ${t.rows} rows, ${t.columns.length} columns`),
  );

  const target = config.train.kind === 'idx' ? IDX_LABEL_COLUMN : config.target;
  raw.forEach((t) => requireColumn(t, target, 'data.target', sourceFile));
  const forced = { ...config.columns };
  if (weightColumn) {
    raw.forEach((t) => requireColumn(t, weightColumn, 'training.sampleWeightColumn', sourceFile));
    forced[weightColumn] = 'numeric';
  }

  const tables = typeColumns(raw, forced, sourceFile).map((t) =>
    dropMissingTargets(t, target, logger),
  );
  const task = decideTask(tables[0], target, config.task, sourceFile);
  const classes =
    task === 'classification' ? classNames(tables.map((t) => targetOf(t, target))) : [];
  return { train: tables[0], test: tables[1], target, task, classes };
}

function targetOf(table: RawTable, target: string): RawColumn {
  const column = findColumn(table, target);
  if (!column) throw new Error(`target "${target}" vanished after typing`);
  return column;
}

function decideTask(table: RawTable, target: string, task: Task | undefined, file?: string): Task {
  const column = targetOf(table, target);
  if (task !== 'regression' || column.kind === 'numeric') return task ?? inferTask(column);

  throw new UserError(
    `data.task is "regression" but the target "${target}" holds text such as ` +
      `"${column.levels[0]}"; set data.task to "classification" or choose a numeric target`,
    { file: file ?? table.path },
  );
}

function dropMissingTargets(table: RawTable, target: string, logger: Logger): RawTable {
  const column = targetOf(table, target);
  const keep: number[] = [];
  let first = -1;
  for (let row = 0; row < table.rows; row++) {
    const missing =
      column.kind === 'numeric' ? Number.isNaN(column.values[row]) : column.codes[row] < 0;
    if (!missing) keep.push(row);
    else if (first < 0) first = row;
  }
  if (first < 0) return table;

  logger.log(
    'warn',
    `${table.path}: dropped ${table.rows - keep.length} rows with no value for the target ` +
      `"${target}" (the first at ${describeRow(table, first)})`,
  );
  return takeRows(table, keep);
}

/** Row indices of each part; the test rows index `testTable`, the others `typed.train`. */
/** Which rows of which tables make each split. */
export interface Parts {
  train: number[];
  validation: number[];
  test: number[];
  testTable: RawTable;
}

/**
 * The splits of one train/validation/test partition, with a preprocessor fitted on its
 * training rows and applied to each split's own rows.
 */
export function prepareSplit(
  typed: Typed,
  config: DataConfig,
  parts: Parts,
  weightColumn: string | undefined,
): PreparedData {
  const state = fitPreprocessor(typed.train, parts.train, {
    target: typed.target,
    task: typed.task,
    classes: typed.classes,
    preprocess: config.preprocess,
    exclude: weightColumn ? [weightColumn] : [],
    text: textColumns(config),
  });

  const build = (table: RawTable, rows: ArrayLike<number>): Dataset =>
    withWeights(applyPreprocessor(state, table, true, rows), table, rows, weightColumn);
  return {
    train: build(typed.train, parts.train),
    validation: build(typed.train, parts.validation),
    test: build(parts.testTable, parts.test),
    preprocessor: state,
  };
}

function splitParts(typed: Typed, config: DataConfig, seed: number): Parts {
  const rng = new Rng(seed);
  const strata = typed.task === 'classification' ? classIndices(typed) : undefined;
  const all = Array.from({ length: typed.train.rows }, (_, i) => i);

  let pool = all;
  let test: Parts['test'] = [];
  if (config.test.kind === 'fraction') {
    const stratify = config.test.stratify ? strata : undefined;
    ({ kept: pool, held: test } = splitRows(all, config.test.fraction, rng.fork('test'), stratify));
  }
  const { kept, held } = splitRows(pool, config.validationFraction, rng.fork('validation'), strata);
  if (kept.length === 0) {
    throw new UserError(
      `no training rows are left after the test and validation splits of ${typed.train.rows} ` +
        'rows; lower data.test.fraction or data.validationFraction',
      { file: typed.train.path },
    );
  }
  if (typed.test)
    return { train: kept, validation: held, test: range(typed.test.rows), testTable: typed.test };
  return { train: kept, validation: held, test, testTable: typed.train };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** The class index of every row of the training table. */
export function classIndices(typed: Typed): Int32Array {
  const column = targetOf(typed.train, typed.target);
  const classOf = new Map(typed.classes.map((name, i) => [name, i]));
  const name = (row: number) =>
    column.kind === 'numeric' ? String(column.values[row]) : column.levels[column.codes[row]];
  return Int32Array.from(range(typed.train.rows), (row) => classOf.get(name(row)) ?? -1);
}

/** Attaches the sample weight column's values for `rows` of `table`, if there is one. */
export function withWeights(
  dataset: Dataset,
  table: RawTable,
  rows: ArrayLike<number>,
  weightColumn: string | undefined,
): Dataset {
  if (!weightColumn) return dataset;

  const index = table.columns.findIndex((c) => c.name === weightColumn);
  const column = table.columns[index] as Extract<RawColumn, { kind: 'numeric' }>;
  const weights = new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const value = column.values[rows[i]];
    if (!(value >= 0)) {
      const what = Number.isNaN(value) ? 'no value' : String(value);
      throw new UserError(
        `the sample weight column "${weightColumn}" has ${what} at ` +
          `${describeRow(table, rows[i])}; every weight must be a number >= 0`,
        cellPosition(table, rows[i], index),
      );
    }
    weights[i] = value;
  }
  return { ...dataset, sampleWeights: weights };
}

function logSummary(logger: Logger, data: PreparedData): void {
  const { train, validation, test } = data;
  const classes = train.task === 'classification' ? `, ${train.classes.length} classes` : '';
  logger.log(
    'info',
    `data: ${train.rows} training, ${validation.rows} validation, ${test.rows} test rows; ` +
      `${train.features} features, ${train.task}${classes}`,
  );
}

/**
 * The rows `rows` of a data set (repeats allowed, as for bootstrap samples), optionally with
 * only the feature columns `features` (random subspaces). A feature subset flattens image
 * data, since the picked pixels no longer form an image: `inputShape` becomes `[features]`.
 * Its `x` and `y` are in shared memory, as applyPreprocessor's are.
 */
export function subsetDataset(
  ds: Dataset,
  rows: ArrayLike<number>,
  features?: ArrayLike<number>,
): Dataset {
  const columns = features ? Array.from(features) : range(ds.features);
  const width = columns.length;
  const x = sharedFloat32(rows.length * width);
  const y = sharedFloat32(rows.length);

  for (let i = 0; i < rows.length; i++) {
    const from = rows[i] * ds.features;
    for (let j = 0; j < width; j++) x[i * width + j] = ds.x[from + columns[j]];
    y[i] = ds.y[rows[i]];
  }
  const subset: Dataset = {
    ...ds,
    x,
    y,
    rows: rows.length,
    features: width,
    inputShape: features ? [width] : [...ds.inputShape],
    featureNames: columns.map((c) => ds.featureNames[c]),
  };
  if (ds.sampleWeights)
    subset.sampleWeights = Float32Array.from(rows, (r) => ds.sampleWeights?.[r] ?? 1);
  return subset;
}

/** The columns the config types as text. */
export function textColumns(config: DataConfig): string[] {
  return Object.entries(config.columns)
    .filter(([, kind]) => kind === 'text')
    .map(([name]) => name);
}
