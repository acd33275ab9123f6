import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { UserError } from '../errors';
import { readParquet } from './parquet';
import type { RawColumn } from './table';

// Written by fixtures/make-small-parquet.py (pyarrow 25, snappy compression).
const FIXTURE = join(__dirname, 'fixtures', 'small.parquet');

function numbers(column: RawColumn): number[] {
  return column.kind === 'numeric' ? Array.from(column.values) : [];
}

describe('readParquet on the pyarrow fixture', () => {
  test('reads 6 rows', async () => {
    const table = await readParquet(FIXTURE);
    assert.equal(table.rows, 6);
  });

  test('keeps the column names in file order', async () => {
    const table = await readParquet(FIXTURE);
    assert.deepEqual(
      table.columns.map((c) => c.name),
      ['sepal_length', 'petals', 'species', 'code'],
    );
  });

  test('a double column with a null reads NaN there', async () => {
    const table = await readParquet(FIXTURE);
    assert.deepEqual(numbers(table.columns[0]), [5.1, 4.9, NaN, 7.0, 6.4, 6.3]);
  });

  test('an int64 column becomes plain numbers', async () => {
    const table = await readParquet(FIXTURE);
    assert.deepEqual(numbers(table.columns[1]), [3, 14, 2, 47, 45, 60]);
  });

  test('a string column becomes levels with -1 for its null', async () => {
    const table = await readParquet(FIXTURE);
    const species = table.columns[2];
    assert.deepEqual(
      species.kind === 'categorical'
        ? Array.from(species.codes, (c) => species.levels[c] ?? null)
        : [],
      ['setosa', 'setosa', 'setosa', 'versicolor', null, 'virginica'],
    );
  });

  test('a string column of numbers is typed numeric, as in a CSV', async () => {
    const table = await readParquet(FIXTURE);
    assert.deepEqual(numbers(table.columns[3]), [1, 2, 3, 4, 5, 6]);
  });

  test('a file that is not Parquet is a UserError naming it', async () => {
    const notParquet = join(__dirname, 'fixtures', 'make-small-parquet.py');
    await assert.rejects(readParquet(notParquet), (error: unknown) => {
      return error instanceof UserError && error.where?.file === notParquet;
    });
  });
});
