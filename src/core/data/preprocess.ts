import { TEXT_DEFAULTS } from '../config/defaults';
import type { PreprocessConfig, Task } from '../config/types';
import { UserError } from '../errors';
import type { Dataset, PreprocessedColumn, PreprocessorState } from './types';
import { cellPosition, findColumn, type RawColumn, type RawTable } from './table';
import { fitText, writeText } from './text';
import { convertColumn } from './typing';

/** The level a categorical feature's missing cells get, when training rows have gaps. */
export const MISSING_LEVEL = '(missing)';

type NumericColumn = Extract<RawColumn, { kind: 'numeric' }>;
type CategoricalColumn = Extract<RawColumn, { kind: 'categorical' }>;

/** What fitting needs besides the table: which column is the target and how to scale. */
export interface FitOptions {
  target: string;
  task: Task;
  classes: string[];
  preprocess: PreprocessConfig;
  /** Columns that are neither features nor the target (the sample weight column). */
  exclude: string[];
  /** Columns whose cells are texts, turned into word features. */
  text?: string[];
}

/**
 * Fits imputation, scaling and one-hot vocabularies on the training rows of a typed table.
 * Numeric statistics are taken after imputation, so training columns come out with mean 0
 * and standard deviation 1 exactly under `standardize`.
 */
export function fitPreprocessor(
  table: RawTable,
  trainRows: ArrayLike<number>,
  options: FitOptions,
): PreprocessorState {
  const skip = new Set([options.target, ...options.exclude]);
  const columns = table.columns
    .filter((c) => !skip.has(c.name))
    .map((c) =>
      options.text?.includes(c.name) && c.kind === 'categorical'
        ? fitText(c, trainRows, options.preprocess.text ?? TEXT_DEFAULTS)
        : fitColumn(c, trainRows, options.preprocess),
    );
  const featureNames = columns.flatMap(columnFeatureNames);

  return {
    version: 1,
    target: options.target,
    task: options.task,
    classes: options.classes,
    inputShape: inputShape(table, featureNames.length, options.preprocess),
    featureNames,
    columns,
  };
}

function fitColumn(
  column: RawColumn,
  rows: ArrayLike<number>,
  preprocess: PreprocessConfig,
): PreprocessedColumn {
  if (column.kind === 'categorical') return fitLevels(column, rows);

  const present: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const value = column.values[rows[i]];
    if (!Number.isNaN(value)) present.push(value);
  }
  const fill = fillValue(present, preprocess.impute);
  const imputed = present.concat(new Array<number>(rows.length - present.length).fill(fill));
  return { name: column.name, kind: 'numeric', fill, ...scaling(imputed, preprocess.numeric) };
}

function fillValue(present: number[], impute: PreprocessConfig['impute']): number {
  if (present.length === 0 || impute === 'zero') return 0;
  if (impute === 'mean') return mean(present);

  const sorted = [...present].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** `offset` and `scale` such that `(value - offset) / scale` is the model input. */
function scaling(values: number[], method: PreprocessConfig['numeric']) {
  if (method === 'none' || values.length === 0) return { offset: 0, scale: 1 };

  if (method === 'minmax') {
    const min = values.reduce((a, b) => Math.min(a, b), Infinity);
    const max = values.reduce((a, b) => Math.max(a, b), -Infinity);
    return { offset: min, scale: max > min ? max - min : 1 };
  }
  const center = mean(values);
  const sd = Math.sqrt(mean(values.map((v) => (v - center) ** 2)));
  return { offset: center, scale: sd > 0 ? sd : 1 };
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Levels seen in training, sorted by code point; a gap becomes MISSING_LEVEL, listed last. */
function fitLevels(column: CategoricalColumn, rows: ArrayLike<number>): PreprocessedColumn {
  const used = new Set<string>();
  let gaps = false;

  for (let i = 0; i < rows.length; i++) {
    const code = column.codes[rows[i]];
    if (code < 0) gaps = true;
    else used.add(column.levels[code]);
  }
  const levels = [...used].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    name: column.name,
    kind: 'categorical',
    levels: gaps ? [...levels, MISSING_LEVEL] : levels,
  };
}

function columnFeatureNames(column: PreprocessedColumn): string[] {
  if (column.kind === 'text') return column.vocabulary.map((w) => `${column.name}:${w}`);
  return column.kind === 'numeric'
    ? [column.name]
    : column.levels.map((l) => `${column.name}=${l}`);
}

/** How many features a fitted column gives. */
function width(column: PreprocessedColumn): number {
  if (column.kind === 'numeric') return 1;
  return column.kind === 'text' ? column.vocabulary.length : column.levels.length;
}

function inputShape(table: RawTable, features: number, preprocess: PreprocessConfig): number[] {
  const image = preprocess.image;
  if (!image) return table.imageShape ?? [features];

  const pixels = image.height * image.width * image.channels;
  if (pixels !== features) {
    throw new UserError(
      `data.preprocess.image is ${image.height}x${image.width}x${image.channels} = ${pixels} ` +
        `values per row but the data has ${features} features; make the two agree`,
      { file: table.path },
    );
  }
  return [image.height, image.width, image.channels];
}

/**
 * Turns raw rows into model input with a fitted preprocessor: the same columns, fills,
 * scales, one-hot levels and classes as in training. A level not seen in training gives all
 * zeros. The target column is read when present; `requireTarget` makes it compulsory.
 * `rows` picks rows of `table` (repeats allowed) without copying the whole table first: each
 * column is cut to them only while it is written. The result's `x` and `y` live in shared
 * memory, so the trainer's member workers read these very arrays rather than copies; nothing
 * writes into a Dataset's arrays after this.
 */
export function applyPreprocessor(
  state: PreprocessorState,
  table: RawTable,
  requireTarget: boolean,
  rows?: ArrayLike<number>,
): Dataset {
  const features = state.featureNames.length;
  const count = rows ? rows.length : table.rows;
  const x = sharedFloat32(count * features);
  let offset = 0;

  for (const spec of state.columns) {
    const kind = spec.kind === 'numeric' ? 'numeric' : 'categorical';
    const column = pickRows(modelColumn(table, spec.name, kind), rows);
    if (spec.kind === 'numeric') writeNumeric(x, features, offset, column as NumericColumn, spec);
    else if (spec.kind === 'text')
      writeText(x, features, offset, column as CategoricalColumn, spec);
    else writeOneHot(x, features, offset, column as CategoricalColumn, spec.levels);
    offset += width(spec);
  }
  return {
    x,
    y: readTarget(state, table, requireTarget, rows),
    rows: count,
    features,
    inputShape: [...state.inputShape],
    featureNames: [...state.featureNames],
    task: state.task,
    classes: [...state.classes],
  };
}

/**
 * A zeroed Float32Array in a SharedArrayBuffer: a worker thread it is posted to reads the
 * same memory instead of getting a copy.
 */
export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * Float32Array.BYTES_PER_ELEMENT));
}

function modelColumn(table: RawTable, name: string, kind: 'numeric' | 'categorical'): RawColumn {
  const index = table.columns.findIndex((c) => c.name === name);
  if (index < 0) {
    throw new UserError(
      `the model needs column "${name}" but the file has no such column; add it to the file`,
      { file: table.path, line: 1 },
    );
  }
  return convertColumn(table, index, kind, 'model');
}

function writeNumeric(
  x: Float32Array,
  stride: number,
  offset: number,
  column: NumericColumn,
  spec: Extract<PreprocessedColumn, { kind: 'numeric' }>,
): void {
  for (let row = 0; row < column.values.length; row++) {
    const value = column.values[row];
    x[row * stride + offset] =
      ((Number.isNaN(value) ? spec.fill : value) - spec.offset) / spec.scale;
  }
}

function writeOneHot(
  x: Float32Array,
  stride: number,
  offset: number,
  column: CategoricalColumn,
  levels: string[],
): void {
  const position = new Map(levels.map((level, i) => [level, i]));
  const missing = position.get(MISSING_LEVEL);
  const slot = column.levels.map((level) => position.get(level));

  for (let row = 0; row < column.codes.length; row++) {
    const code = column.codes[row];
    const at = code < 0 ? missing : slot[code];
    if (at !== undefined) x[row * stride + offset + at] = 1;
  }
}

/** Class indices or values; NaN where the target is missing or the column is absent. */
function readTarget(
  state: PreprocessorState,
  table: RawTable,
  required: boolean,
  rows: ArrayLike<number> | undefined,
): Float32Array {
  const index = table.columns.findIndex((c) => c.name === state.target);
  const y = sharedFloat32(rows ? rows.length : table.rows).fill(NaN);
  if (index < 0) {
    if (required) throw missingTarget(state, table);
    return y;
  }

  // Error positions name the row's place in `table`; messages count the picked rows.
  const rowOf = (position: number): number => (rows ? rows[position] : position);
  if (state.task === 'regression') {
    const column = convertColumn(table, index, 'numeric', 'model') as NumericColumn;
    y.set((pickRows(column, rows) as NumericColumn).values);
  } else {
    writeClasses(y, table, index, state.classes, rows, rowOf);
  }
  if (required) checkNoGaps(y, table, index, state.target, rowOf);
  return y;
}

function writeClasses(
  y: Float32Array,
  table: RawTable,
  index: number,
  classes: string[],
  rows: ArrayLike<number> | undefined,
  rowOf: (position: number) => number,
): void {
  const all = convertColumn(table, index, 'categorical') as CategoricalColumn;
  const column = pickRows(all, rows) as CategoricalColumn;
  const classOf = new Map(classes.map((name, i) => [name, i]));

  for (let row = 0; row < column.codes.length; row++) {
    const code = column.codes[row];
    if (code < 0) continue;
    const cls = classOf.get(column.levels[code]);
    if (cls === undefined) {
      throw new UserError(
        `row ${row + 1} has class "${column.levels[code]}", which the model was not trained ` +
          `on (it knows ${classes.map((c) => `"${c}"`).join(', ')}); fix the value or drop the row`,
        cellPosition(table, rowOf(row), index),
      );
    }
    y[row] = cls;
  }
}

function checkNoGaps(
  y: Float32Array,
  table: RawTable,
  index: number,
  target: string,
  rowOf: (position: number) => number,
): void {
  const row = y.findIndex((v) => Number.isNaN(v));
  if (row < 0) return;
  throw new UserError(
    `row ${row + 1} has no value for the target "${target}"; fill it in or drop the row`,
    cellPosition(table, rowOf(row), index),
  );
}

function missingTarget(state: PreprocessorState, table: RawTable): UserError {
  return new UserError(
    `the file has no target column "${state.target}"; add it to score the model on these rows`,
    { file: table.path, line: 1 },
  );
}

/** The rows `rows` of `table` (repeats allowed), with their line numbers. */
export function takeRows(table: RawTable, rows: ArrayLike<number>): RawTable {
  const columns = table.columns.map((column) => pickRows(column, rows));
  const lines = table.lines
    ? Int32Array.from(rows, (r) => (table.lines as Int32Array)[r])
    : undefined;
  return { ...table, columns, rows: rows.length, lines };
}

/** The rows `rows` of one column (repeats allowed); the column itself when `rows` is absent. */
function pickRows(column: RawColumn, rows: ArrayLike<number> | undefined): RawColumn {
  if (!rows) return column;
  if (column.kind === 'categorical') {
    return { ...column, codes: Int32Array.from(rows, (r) => column.codes[r]) };
  }
  const values = new (column.values.constructor as Float64ArrayConstructor)(rows.length);
  for (let i = 0; i < rows.length; i++) values[i] = column.values[rows[i]];
  return { ...column, values };
}

/** The number a row of a numeric column holds, or NaN; for the sample weight column. */
export function numericValues(table: RawTable, name: string): Float64Array | Float32Array {
  const column = findColumn(table, name);
  if (!column || column.kind !== 'numeric') throw new Error(`column "${name}" is not numeric`);
  return column.values;
}
