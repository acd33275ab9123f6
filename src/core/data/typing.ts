import type { ColumnKind, Task } from '../config/types';
import { nearest } from '../config/suggest';
import { UserError } from '../errors';
import { cellPosition, findColumn, parseNumber, type RawColumn, type RawTable } from './table';

/** Targets with at most this many distinct integer values are taken as class labels. */
export const MAX_INTEGER_CLASSES = 20;

/**
 * Gives every column one kind across all the tables (training and an explicit test file):
 * numeric when it is numeric in each of them, else categorical, unless `forced` says
 * otherwise. Columns forced to `ignore` are dropped. Returns the tables with converted columns.
 */
export function typeColumns(
  tables: RawTable[],
  forced: Record<string, ColumnKind>,
  configFile?: string,
): RawTable[] {
  checkForcedNames(tables[0], forced, configFile);

  const kinds = new Map<string, 'numeric' | 'categorical'>();
  for (const column of tables[0].columns) {
    const forcedKind = forced[column.name];
    if (forcedKind === 'ignore') continue;
    const allNumeric = tables.every((t) => findColumn(t, column.name)?.kind !== 'categorical');
    if (!forcedKind && !allNumeric) tables.forEach((t) => refuseStrayText(t, column.name));
    const kind = forcedKind === 'text' ? 'categorical' : forcedKind;
    kinds.set(column.name, kind ?? (allNumeric ? 'numeric' : 'categorical'));
  }
  return tables.map((table) => convertTable(table, kinds, forced));
}

/** Share of numbers above which a few words in a column are taken for typing mistakes. */
const STRAY_TEXT_SHARE = 0.05;

/**
 * A column of numbers with a few words in it ("three", "n/a" written by hand) is far more
 * often a typing mistake than a categorical feature, and reading it as categorical would
 * silently one-hot every number. Such a column is refused at its first word instead.
 */
function refuseStrayText(table: RawTable, name: string): void {
  const index = table.columns.findIndex((c) => c.name === name);
  const column = table.columns[index];
  if (column?.kind !== 'categorical') return;

  const numericLevel = column.levels.map((level) => parseNumber(level) !== undefined);
  let present = 0;
  let words = 0;
  column.codes.forEach((code) => {
    if (code < 0) return;
    present++;
    if (!numericLevel[code]) words++;
  });
  if (present >= 20 && words > 0 && words <= present * STRAY_TEXT_SHARE) {
    toNumeric(table, index, 'inferred');
  }
}

function convertTable(
  table: RawTable,
  kinds: Map<string, 'numeric' | 'categorical'>,
  forced: Record<string, ColumnKind>,
): RawTable {
  const columns: RawColumn[] = [];
  table.columns.forEach((column, index) => {
    const kind = kinds.get(column.name);
    if (kind === undefined) return;
    const hint = forced[column.name] === 'numeric' ? 'forced' : 'inferred';
    columns.push(convertColumn(table, index, kind, hint));
  });
  return { ...table, columns };
}

/**
 * Converts one column of `table` to `kind`. Text in a column that must be numeric is a
 * UserError at the cell; `why` tells whether the config forced the kind, for the advice.
 */
export function convertColumn(
  table: RawTable,
  index: number,
  kind: 'numeric' | 'categorical',
  why: 'forced' | 'inferred' | 'model' = 'inferred',
): RawColumn {
  const column = table.columns[index];
  if (column.kind === kind) return column;
  if (column.kind === 'numeric') return toCategorical(column);
  return toNumeric(table, index, why);
}

function toCategorical(column: Extract<RawColumn, { kind: 'numeric' }>): RawColumn {
  const distinct = [...new Set(column.values)]
    .filter((v) => !Number.isNaN(v))
    .sort((a, b) => a - b);
  const codeOf = new Map(distinct.map((v, i) => [v, i]));
  const codes = Int32Array.from(column.values, (v) =>
    Number.isNaN(v) ? -1 : (codeOf.get(v) ?? -1),
  );
  return { name: column.name, kind: 'categorical', levels: distinct.map(String), codes };
}

function toNumeric(
  table: RawTable,
  index: number,
  why: 'forced' | 'inferred' | 'model',
): RawColumn {
  const column = table.columns[index] as Extract<RawColumn, { kind: 'categorical' }>;
  const levelValues = column.levels.map((level) => parseNumber(level) ?? NaN);
  const values = new Float64Array(column.codes.length);

  for (let row = 0; row < values.length; row++) {
    const code = column.codes[row];
    if (code >= 0 && Number.isNaN(levelValues[code])) {
      throw notNumeric(table, index, row, column.levels[code], why);
    }
    values[row] = code < 0 ? NaN : levelValues[code];
  }
  return { name: column.name, kind: 'numeric', values };
}

function notNumeric(table: RawTable, index: number, row: number, text: string, why: string) {
  const name = table.columns[index].name;
  const advice =
    why === 'model'
      ? 'the trained model read this column as numbers, so fix the value'
      : `fix the value or set data.columns.${name} to "categorical"`;
  return new UserError(
    `column "${name}" is numeric but row ${row + 1} has "${text}"; ${advice}`,
    cellPosition(table, row, index),
  );
}

function checkForcedNames(
  table: RawTable,
  forced: Record<string, ColumnKind>,
  configFile?: string,
): void {
  for (const name of Object.keys(forced)) requireColumn(table, name, 'data.columns', configFile);
}

/**
 * The column named `name`, or a UserError that lists the columns the file has and suggests
 * the nearest name. `setting` names the config entry that asked for it.
 */
export function requireColumn(
  table: RawTable,
  name: string,
  setting: string,
  configFile?: string,
): RawColumn {
  const column = findColumn(table, name);
  if (column) return column;

  const names = table.columns.map((c) => c.name);
  const nearestColumn = nearest(name, names);
  const suggestion = nearestColumn ? `did you mean "${nearestColumn}"? ` : '';
  throw new UserError(
    `${setting} names column "${name}" but ${table.path} has no such column; ` +
      `${suggestion}the columns are ${names.map((n) => `"${n}"`).join(', ')}`,
    { file: configFile ?? table.path },
  );
}

/**
 * Classification when the target holds text, or whole numbers with at most
 * MAX_INTEGER_CLASSES distinct values; regression otherwise.
 */
export function inferTask(target: RawColumn): Task {
  if (target.kind === 'categorical') return 'classification';

  const distinct = new Set<number>();
  for (const value of target.values) {
    if (Number.isNaN(value)) continue;
    if (!Number.isInteger(value)) return 'regression';
    distinct.add(value);
    if (distinct.size > MAX_INTEGER_CLASSES) return 'regression';
  }
  return 'classification';
}

/**
 * The class names of a target, sorted: numerically when every name is a number (so "2" comes
 * before "10"), else by code point, so the order does not depend on the machine's locale.
 */
export function classNames(targets: RawColumn[]): string[] {
  const names = new Set<string>();

  for (const target of targets) {
    if (target.kind === 'numeric') {
      for (const v of target.values) if (!Number.isNaN(v)) names.add(String(v));
    } else {
      usedLevels(target).forEach((level) => names.add(level));
    }
  }
  const sorted = [...names];
  return sorted.every((name) => parseNumber(name) !== undefined)
    ? sorted.sort((a, b) => Number(a) - Number(b))
    : sorted.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function usedLevels(column: Extract<RawColumn, { kind: 'categorical' }>): string[] {
  const used = new Uint8Array(column.levels.length);
  for (const code of column.codes) if (code >= 0) used[code] = 1;
  return column.levels.filter((_, i) => used[i] === 1);
}
