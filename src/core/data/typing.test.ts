import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { UserError } from '../errors';
import { readCsv } from './csv';
import type { RawColumn } from './table';
import { classNames, inferTask, requireColumn, typeColumns } from './typing';

const DATA = join(__dirname, '..', '..', '..', 'examples', 'data');
const dir = mkdtempSync(join(tmpdir(), 'ensemble-lab-typing-'));

function numeric(values: number[]): RawColumn {
  return { name: 'y', kind: 'numeric', values: Float64Array.from(values) };
}

function thrown(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('no error was thrown');
}

describe('typeColumns', () => {
  test('one word among sixty numbers is refused as a typing mistake, not read as categories', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `${i},${i === 55 ? 'abc' : 30 + i},1`);
    const path = join(dir, 'stray.csv');
    writeFileSync(path, ['id,age,y', ...rows].join('\n'));
    const table = await readCsv(path);

    assert.match(
      thrown(() => typeColumns([table], {})).toString(),
      /stray\.csv:57:2: column "age"/,
    );
  });

  test('a column with many words among its numbers stays categorical', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `${i},${i % 5 === 0 ? 'none' : i},1`);
    const path = join(dir, 'mixed.csv');
    writeFileSync(path, ['id,dose,y', ...rows].join('\n'));
    const [typed] = typeColumns([await readCsv(path)], {});

    assert.equal(typed.columns[1].kind, 'categorical');
  });

  test('text in a column forced numeric names its line, column and row', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `${i},${i === 55 ? 'abc' : 30 + i},1`);
    const path = join(dir, 'x.csv');
    writeFileSync(path, ['id,age,y', ...rows].join('\n'));
    const table = await readCsv(path);

    const error = thrown(() => typeColumns([table], { age: 'numeric' }));
    assert.equal(
      error.toString(),
      `${path}:57:2: column "age" is numeric but row 56 has "abc"; ` +
        'fix the value or set data.columns.age to "categorical"',
    );
  });

  test('a numeric column forced categorical gets its numbers as levels, sorted numerically', () => {
    const table = { path: 'm.csv', rows: 3, columns: [numeric([10, 2, 10])] };
    const [typed] = typeColumns([table], { y: 'categorical' });
    const column = typed.columns[0];
    assert.deepEqual(column.kind === 'categorical' ? column.levels : [], ['2', '10']);
  });

  test('a column forced to ignore is dropped', async () => {
    const iris = await readCsv(join(DATA, 'iris.csv'));
    const [typed] = typeColumns([iris], { sepal_width: 'ignore' });
    assert.deepEqual(
      typed.columns.map((c) => c.name),
      ['sepal_length', 'petal_length', 'petal_width', 'species'],
    );
  });

  test('a column numeric in training but text in the test file is categorical in both', () => {
    const train = { path: 'a.csv', rows: 2, columns: [numeric([1, 2])] };
    const testColumn: RawColumn = {
      name: 'y',
      kind: 'categorical',
      levels: ['x'],
      codes: Int32Array.of(0),
    };
    const typed = typeColumns([train, { path: 'b.csv', rows: 1, columns: [testColumn] }], {});
    assert.deepEqual(
      typed.map((t) => t.columns[0].kind),
      ['categorical', 'categorical'],
    );
  });

  test('data.columns naming an absent column suggests the nearest name', async () => {
    const iris = await readCsv(join(DATA, 'iris.csv'));
    const error = thrown(() =>
      typeColumns([iris], { sepal_lenght: 'numeric' }, 'iris.ensemble.json'),
    );
    assert.match(error.message, /did you mean "sepal_length"\?/);
  });
});

describe('requireColumn', () => {
  test('a missing target lists the available columns', async () => {
    const iris = await readCsv(join(DATA, 'iris.csv'));
    const error = thrown(() => requireColumn(iris, 'specie', 'data.target'));
    assert.match(
      error.message,
      /"sepal_length", "sepal_width", "petal_length", "petal_width", "species"$/,
    );
  });

  test('a missing target suggests the nearest name', async () => {
    const iris = await readCsv(join(DATA, 'iris.csv'));
    const error = thrown(() => requireColumn(iris, 'specie', 'data.target'));
    assert.match(error.message, /did you mean "species"\?/);
  });

  test('a name far from every column gets no suggestion', async () => {
    const iris = await readCsv(join(DATA, 'iris.csv'));
    const error = thrown(() => requireColumn(iris, 'temperature', 'data.target'));
    assert.doesNotMatch(error.message, /did you mean/);
  });
});

describe('inferTask', () => {
  test('a text target is classification', async () => {
    const iris = await readCsv(join(DATA, 'iris.csv'));
    assert.equal(inferTask(iris.columns[4]), 'classification');
  });

  test('the digits target (10 whole numbers) is classification', async () => {
    const digits = await readCsv(join(DATA, 'digits.csv'));
    assert.equal(inferTask(digits.columns[64]), 'classification');
  });

  test('the diabetes target (many whole numbers) is regression', async () => {
    const diabetes = await readCsv(join(DATA, 'diabetes.csv'));
    assert.equal(inferTask(diabetes.columns[10]), 'regression');
  });

  test('a target with fractions is regression even with few levels', () => {
    assert.equal(inferTask(numeric([0.5, 1, 1.5, 1])), 'regression');
  });

  test('21 distinct whole numbers are regression', () => {
    assert.equal(inferTask(numeric(Array.from({ length: 21 }, (_, i) => i))), 'regression');
  });

  test('20 distinct whole numbers are classification', () => {
    assert.equal(inferTask(numeric(Array.from({ length: 20 }, (_, i) => i))), 'classification');
  });
});

describe('classNames', () => {
  test('numeric labels sort numerically', () => {
    assert.deepEqual(classNames([numeric([10, 2, 1, 2])]), ['1', '2', '10']);
  });

  test('text labels sort by code point and skip unused levels', () => {
    const column: RawColumn = {
      name: 'c',
      kind: 'categorical',
      levels: ['b', 'unused', 'B', 'a'],
      codes: Int32Array.of(0, 2, 3, -1),
    };
    assert.deepEqual(classNames([column]), ['B', 'a', 'b']);
  });
});
