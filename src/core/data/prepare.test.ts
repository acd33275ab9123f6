import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { DataConfig } from '../config/types';
import { UserError } from '../errors';
import { silentLogger, type Logger } from '../log';
import { applyPreprocessor, prepareData, readSource, subsetDataset } from './prepare';
import { takeRows } from './preprocess';
import type { Dataset, PreprocessorState } from './types';

const DATA = join(__dirname, '..', '..', '..', 'examples', 'data');
const IRIS = join(DATA, 'iris.csv');
const DIABETES = join(DATA, 'diabetes.csv');
const dir = mkdtempSync(join(tmpdir(), 'ensemble-lab-prepare-'));

function writeCsv(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

function config(path: string, target: string, overrides: Partial<DataConfig> = {}): DataConfig {
  return {
    train: { kind: 'table', path, format: 'csv' },
    target,
    test: { kind: 'fraction', fraction: 0.2, stratify: true },
    validationFraction: 0,
    columns: {},
    preprocess: { numeric: 'standardize', impute: 'mean' },
    ...overrides,
  };
}

const diabetesConfig = config(DIABETES, 'progression', {
  test: { kind: 'fraction', fraction: 0.2, stratify: false },
});

function testSource(path: string): DataConfig['test'] {
  return { kind: 'source', source: { kind: 'table', path, format: 'csv' } };
}

function classCounts(ds: Dataset): number[] {
  const counts = ds.classes.map(() => 0);
  ds.y.forEach((c) => counts[c]++);
  return counts;
}

function column(ds: Dataset, feature: number): number[] {
  return Array.from({ length: ds.rows }, (_, r) => ds.x[r * ds.features + feature]);
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function sd(values: number[]): number {
  const m = mean(values);
  return Math.sqrt(mean(values.map((v) => (v - m) ** 2)));
}

async function rejection(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('no error was thrown');
}

describe('prepareData splits iris', () => {
  test('a stratified 0.2 test split takes 10 rows of each class', async () => {
    const data = await prepareData(config(IRIS, 'species'), 1, silentLogger);
    assert.deepEqual(classCounts(data.test), [10, 10, 10]);
  });

  test('a stratified validation split of the 120 training rows takes 5 of each class', async () => {
    const cfg = config(IRIS, 'species', { validationFraction: 0.125 });
    const data = await prepareData(cfg, 1, silentLogger);
    assert.deepEqual(classCounts(data.validation), [5, 5, 5]);
  });

  test('train, validation and test rows add up to the 150 rows', async () => {
    const cfg = config(IRIS, 'species', { validationFraction: 0.125 });
    const data = await prepareData(cfg, 1, silentLogger);
    assert.equal(data.train.rows + data.validation.rows + data.test.rows, 150);
  });

  test('the same seed gives the same test rows', async () => {
    const a = await prepareData(config(IRIS, 'species'), 7, silentLogger);
    const b = await prepareData(config(IRIS, 'species'), 7, silentLogger);
    assert.deepEqual(a.test.x, b.test.x);
  });

  test('another seed gives other test rows', async () => {
    const a = await prepareData(config(IRIS, 'species'), 7, silentLogger);
    const b = await prepareData(config(IRIS, 'species'), 8, silentLogger);
    assert.notDeepEqual(a.test.x, b.test.x);
  });

  test('classes are the species in sorted order', async () => {
    const data = await prepareData(config(IRIS, 'species'), 1, silentLogger);
    assert.deepEqual(data.train.classes, ['setosa', 'versicolor', 'virginica']);
  });
});

describe('prepareData fits preprocessing on training rows only', () => {
  test('standardized training columns have mean 0', async () => {
    const data = await prepareData(config(IRIS, 'species'), 3, silentLogger);
    const largest = Math.max(...[0, 1, 2, 3].map((f) => Math.abs(mean(column(data.train, f)))));
    assert.ok(largest < 1e-5, `largest training column mean ${largest}`);
  });

  test('standardized training columns have standard deviation 1', async () => {
    const data = await prepareData(config(IRIS, 'species'), 3, silentLogger);
    const worst = Math.max(...[0, 1, 2, 3].map((f) => Math.abs(sd(column(data.train, f)) - 1)));
    assert.ok(worst < 1e-5, `largest distance of a training column sd from 1: ${worst}`);
  });

  test('standardized test columns are not centred exactly (test rows were not used)', async () => {
    const data = await prepareData(config(IRIS, 'species'), 3, silentLogger);
    const largest = Math.max(...[0, 1, 2, 3].map((f) => Math.abs(mean(column(data.test, f)))));
    assert.ok(largest > 0.01, `largest test column mean ${largest}`);
  });

  test('the fitted centre of sepal_length is not the mean of all 150 rows (5.8433)', async () => {
    const data = await prepareData(config(IRIS, 'species'), 3, silentLogger);
    const sepal = data.preprocessor.columns[0];
    const offset = sepal.kind === 'numeric' ? sepal.offset : NaN;
    assert.ok(Math.abs(offset - 5.843333) > 1e-4, `fitted centre ${offset}`);
  });

  test('minmax puts every training column in [0, 1] with both ends reached', async () => {
    const cfg = config(IRIS, 'species', { preprocess: { numeric: 'minmax', impute: 'mean' } });
    const data = await prepareData(cfg, 3, silentLogger);
    const ranges = [0, 1, 2, 3]
      .map((f) => column(data.train, f))
      .map((c) => [Math.min(...c), Math.max(...c)]);
    assert.deepEqual(
      ranges,
      [0, 1, 2, 3].map(() => [0, 1]),
    );
  });

  test('a missing value is filled with the training mean, not the test mean', async () => {
    const train = writeCsv('impute-train.csv', ['a,y', '1,p', '2,q', '3,p', 'NA,q', '6,p']);
    const testFile = writeCsv('impute-test.csv', ['a,y', 'NA,p', '100,q']);
    const cfg = config(train, 'y', {
      test: testSource(testFile),
      preprocess: { numeric: 'none', impute: 'mean' },
    });
    const data = await prepareData(cfg, 1, silentLogger);
    assert.equal(data.test.x[0], 3);
  });

  test('median imputation uses the training median', async () => {
    const train = writeCsv('median-train.csv', ['a,y', '1,p', '2,q', '3,p', 'NA,q', '60,p']);
    const cfg = config(train, 'y', {
      test: testSource(train),
      preprocess: { numeric: 'none', impute: 'median' },
    });
    const data = await prepareData(cfg, 1, silentLogger);
    assert.equal(data.train.x[3], 2.5);
  });
});

describe('prepareData one-hot encodes categorical features', () => {
  const train = writeCsv('colors.csv', [
    'size,color,y',
    '1,red,a',
    '2,green,b',
    '3,blue,a',
    '4,red,b',
  ]);
  const testFile = writeCsv('colors-test.csv', ['size,color,y', '5,green,a', '6,purple,b']);
  const cfg = config(train, 'y', {
    test: testSource(testFile),
    preprocess: { numeric: 'none', impute: 'mean' },
  });

  test('each training level becomes a feature, sorted', async () => {
    const data = await prepareData(cfg, 1, silentLogger);
    assert.deepEqual(data.train.featureNames, ['size', 'color=blue', 'color=green', 'color=red']);
  });

  test('a row has a 1 under its own level and 0 elsewhere', async () => {
    const data = await prepareData(cfg, 1, silentLogger);
    assert.deepEqual(Array.from(data.test.x.subarray(0, 4)), [5, 0, 1, 0]);
  });

  test('a level never seen in training gives all zeros', async () => {
    const data = await prepareData(cfg, 1, silentLogger);
    assert.deepEqual(Array.from(data.test.x.subarray(4, 8)), [6, 0, 0, 0]);
  });
});

describe('prepareData rows and columns with a role', () => {
  test('rows with no target are dropped', async () => {
    const path = writeCsv('no-target.csv', ['a,y', '1,p', '2,', '3,q', '4,p', '5,q']);
    const cfg = config(path, 'y', { test: testSource(writeCsv('nt-test.csv', ['a,y', '1,p'])) });
    const data = await prepareData(cfg, 1, silentLogger);
    assert.equal(data.train.rows, 4);
  });

  test('dropping rows with no target warns with the first line', async () => {
    const path = writeCsv('no-target2.csv', ['a,y', '1,p', '2,', '3,q', '4,p', '5,q']);
    const cfg = config(path, 'y', { test: testSource(writeCsv('nt2-test.csv', ['a,y', '1,p'])) });
    const warnings: string[] = [];
    const logger: Logger = { log: (level, message) => level === 'warn' && warnings.push(message) };
    await prepareData(cfg, 1, logger);
    assert.deepEqual(warnings, [
      `${path}: dropped 1 rows with no value for the target "y" (the first at line 3)`,
    ]);
  });

  test('the sample weight column is not a feature', async () => {
    const path = writeCsv('weights.csv', ['a,w,y', '1,0.5,p', '2,1,q', '3,2,p', '4,1,q']);
    const cfg = config(path, 'y', { test: testSource(path) });
    const data = await prepareData(cfg, 1, silentLogger, undefined, 'w');
    assert.deepEqual(data.train.featureNames, ['a']);
  });

  test('the sample weight column becomes the per-row weights', async () => {
    const path = writeCsv('weights2.csv', ['a,w,y', '1,0.5,p', '2,1,q', '3,2,p', '4,1,q']);
    const cfg = config(path, 'y', { test: testSource(path) });
    const data = await prepareData(cfg, 1, silentLogger, undefined, 'w');
    assert.deepEqual(Array.from(data.train.sampleWeights ?? []), [0.5, 1, 2, 1]);
  });

  test('a text target with data.task regression is a UserError', async () => {
    const cfg = config(IRIS, 'species', { task: 'regression' });
    const error = await rejection(prepareData(cfg, 1, silentLogger, 'iris.ensemble.json'));
    assert.match(
      error.toString(),
      /^iris\.ensemble\.json: data\.task is "regression" but the target "species"/,
    );
  });

  test('the diabetes target (many whole numbers) makes the task regression', async () => {
    const data = await prepareData(diabetesConfig, 1, silentLogger);
    assert.equal(data.train.task, 'regression');
  });

  test('a regression target is kept in its own units', async () => {
    const data = await prepareData(diabetesConfig, 1, silentLogger);
    const raw = (await readSource(config(DIABETES, 'progression').train)).columns[10];
    const fileSum =
      raw.kind === 'numeric' ? Array.from(raw.values).reduce((a, b) => a + b, 0) : NaN;
    const sum = [...data.train.y, ...data.test.y].reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - fileSum) < 1e-6 * fileSum, `${sum} vs ${fileSum}`);
  });

  test('a missing sample weight is a UserError at its line', async () => {
    const path = writeCsv('weights3.csv', ['a,w,y', '1,0.5,p', '2,,q', '3,2,p', '4,1,q']);
    const cfg = config(path, 'y', { test: testSource(path) });
    const error = await rejection(prepareData(cfg, 1, silentLogger, undefined, 'w'));
    assert.equal(
      error.toString(),
      `${path}:3:2: the sample weight column "w" has no value at line 3; ` +
        'every weight must be a number >= 0',
    );
  });
});

describe('prepareData image shapes', () => {
  const digits = join(DATA, 'digits.csv');
  const image = { height: 8, width: 8, channels: 1 };

  test('digits reshape to 8x8x1', async () => {
    const cfg = config(digits, 'digit', {
      preprocess: { numeric: 'minmax', impute: 'mean', image },
    });
    const data = await prepareData(cfg, 1, silentLogger);
    assert.deepEqual(data.train.inputShape, [8, 8, 1]);
  });

  test('a shape that does not match the feature count names both numbers', async () => {
    const wrong = { height: 8, width: 7, channels: 1 };
    const cfg = config(digits, 'digit', {
      preprocess: { numeric: 'minmax', impute: 'mean', image: wrong },
    });
    const error = await rejection(prepareData(cfg, 1, silentLogger));
    assert.match(error.message, /8x7x1 = 56 values per row but the data has 64 features/);
  });

  test('an IDX pair gives the image shape and the labels present as classes', async () => {
    const idx = (dims: number[], values: number[]) => {
      const header = Buffer.alloc(4 + 4 * dims.length);
      header.writeUInt8(0x08, 2);
      header.writeUInt8(dims.length, 3);
      dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
      return Buffer.concat([header, Buffer.from(values)]);
    };
    const images = join(dir, 'img.idx');
    const labels = join(dir, 'lab.idx');
    writeFileSync(
      images,
      idx(
        [4, 2, 2],
        Array.from({ length: 16 }, (_, i) => i * 10),
      ),
    );
    writeFileSync(labels, idx([4], [3, 7, 0, 3]));
    const cfg: DataConfig = {
      ...config(images, 'ignored', { test: { kind: 'fraction', fraction: 0, stratify: false } }),
      train: { kind: 'idx', images, labels },
    };
    const data = await prepareData(cfg, 1, silentLogger);
    assert.deepEqual(
      [data.train.inputShape, data.train.classes],
      [
        [2, 2, 1],
        ['0', '3', '7'],
      ],
    );
  });
});

describe('applyPreprocessor', () => {
  test('reproduces the test rows from the saved state (after a JSON round trip)', async () => {
    const data = await prepareData(config(IRIS, 'species'), 5, silentLogger);
    const state = JSON.parse(JSON.stringify(data.preprocessor)) as PreprocessorState;
    const all = applyPreprocessor(state, await readSource(config(IRIS, 'species').train), true);
    const rowsOf = (ds: Dataset) =>
      Array.from(
        { length: ds.rows },
        (_, r) => `${Array.from(ds.x.subarray(r * 4, r * 4 + 4))}|${ds.y[r]}`,
      );
    const known = new Set(rowsOf(all));
    assert.deepEqual(
      rowsOf(data.test).filter((row) => !known.has(row)),
      [],
    );
  });

  test('reproduces a test file matrix exactly', async () => {
    const testFile = writeCsv('iris-test.csv', [
      'sepal_length,sepal_width,petal_length,petal_width,species',
      '5.1,3.5,1.4,0.2,setosa',
      '6.3,2.9,5.6,1.8,virginica',
    ]);
    const data = await prepareData(
      config(IRIS, 'species', { test: testSource(testFile) }),
      5,
      silentLogger,
    );
    const again = applyPreprocessor(
      data.preprocessor,
      await readSource({ kind: 'table', path: testFile, format: 'csv' }),
      true,
    );
    assert.deepEqual(again.x, data.test.x);
  });

  test('picked rows give the matrix of the table cut to those rows first', async () => {
    const data = await prepareData(config(IRIS, 'species'), 5, silentLogger);
    const table = await readSource(config(IRIS, 'species').train);
    const rows = [149, 3, 3, 0];
    const picked = applyPreprocessor(data.preprocessor, table, true, rows);
    assert.deepEqual(picked.x, applyPreprocessor(data.preprocessor, takeRows(table, rows), true).x);
  });

  test('picked rows give the targets of those rows, repeats included', async () => {
    const data = await prepareData(config(IRIS, 'species'), 5, silentLogger);
    const table = await readSource(config(IRIS, 'species').train);
    const picked = applyPreprocessor(data.preprocessor, table, true, [149, 0, 0]);
    assert.deepEqual(Array.from(picked.y), [2, 0, 0]);
  });

  test('an unknown class in a picked row is a UserError at its line in the file', async () => {
    const data = await prepareData(config(IRIS, 'species'), 5, silentLogger);
    const path = writeCsv('tulip.csv', [
      'sepal_length,sepal_width,petal_length,petal_width,species',
      '5.1,3.5,1.4,0.2,setosa',
      '6.3,2.9,5.6,1.8,tulip',
    ]);
    const table = await readSource({ kind: 'table', path, format: 'csv' });
    assert.throws(
      () => applyPreprocessor(data.preprocessor, table, true, [1]),
      (e: unknown) => e instanceof UserError && e.where?.line === 3,
    );
  });

  test('the prepared matrices are in shared memory, for the member workers', async () => {
    const data = await prepareData(config(IRIS, 'species'), 5, silentLogger);
    const buffers = [data.train.x, data.train.y, data.test.x, data.test.y].map((a) => a.buffer);
    assert.ok(buffers.every((b) => b instanceof SharedArrayBuffer));
  });

  test('a file without a feature column is a UserError naming it', async () => {
    const data = await prepareData(config(IRIS, 'species'), 5, silentLogger);
    const path = writeCsv('no-petal.csv', ['sepal_length,sepal_width,petal_length', '5.1,3.5,1.4']);
    const table = await readSource({ kind: 'table', path, format: 'csv' });
    assert.throws(
      () => applyPreprocessor(data.preprocessor, table, false),
      /needs column "petal_width"/,
    );
  });

  test('without the target column the rows still predict, with NaN targets', async () => {
    const data = await prepareData(config(IRIS, 'species'), 5, silentLogger);
    const path = writeCsv('no-species.csv', [
      'sepal_length,sepal_width,petal_length,petal_width',
      '5.1,3.5,1.4,0.2',
    ]);
    const table = await readSource({ kind: 'table', path, format: 'csv' });
    assert.ok(Number.isNaN(applyPreprocessor(data.preprocessor, table, false).y[0]));
  });
});

describe('subsetDataset', () => {
  test('gathers repeated rows in the order given', async () => {
    const data = await prepareData(config(IRIS, 'species'), 5, silentLogger);
    const subset = subsetDataset(data.train, [2, 2, 0]);
    assert.deepEqual(Array.from(subset.y), [data.train.y[2], data.train.y[2], data.train.y[0]]);
  });

  test('a feature subset keeps those columns of each row', async () => {
    const data = await prepareData(config(IRIS, 'species'), 5, silentLogger);
    const subset = subsetDataset(data.train, [1], [3, 0]);
    assert.deepEqual(Array.from(subset.x), [data.train.x[4 + 3], data.train.x[4 + 0]]);
  });

  test('a feature subset of image data flattens the input shape', async () => {
    const cfg = config(join(DATA, 'digits.csv'), 'digit', {
      preprocess: { numeric: 'none', impute: 'mean', image: { height: 8, width: 8, channels: 1 } },
    });
    const data = await prepareData(cfg, 1, silentLogger);
    assert.deepEqual(subsetDataset(data.train, [0, 1], [5, 9, 20]).inputShape, [3]);
  });
});
