import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { UserError } from '../errors';
import { readCsv } from './csv';
import type { RawColumn } from './table';

const DATA = join(__dirname, '..', '..', '..', 'examples', 'data');
const dir = mkdtempSync(join(tmpdir(), 'ensemble-lab-csv-'));

function writeCsv(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function levelsOf(column: RawColumn): string[] {
  assert.equal(column.kind, 'categorical');
  return column.kind === 'categorical' ? column.levels : [];
}

function textAt(column: RawColumn, row: number): string {
  return column.kind === 'categorical'
    ? column.levels[column.codes[row]]
    : String(column.values[row]);
}

async function errorOf(path: string): Promise<UserError> {
  try {
    await readCsv(path);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error(`${path} was read without an error`);
}

describe('readCsv on iris', () => {
  test('reads 150 rows', async () => {
    const iris = await readCsv(join(DATA, 'iris.csv'));
    assert.equal(iris.rows, 150);
  });

  test('reads 5 columns, the four measurements numeric and species categorical', async () => {
    const iris = await readCsv(join(DATA, 'iris.csv'));
    assert.deepEqual(
      iris.columns.map((c) => `${c.name}:${c.kind}`),
      [
        'sepal_length:numeric',
        'sepal_width:numeric',
        'petal_length:numeric',
        'petal_width:numeric',
        'species:categorical',
      ],
    );
  });

  test('species has the 3 iris classes as levels', async () => {
    const iris = await readCsv(join(DATA, 'iris.csv'));
    assert.deepEqual(levelsOf(iris.columns[4]), ['setosa', 'versicolor', 'virginica']);
  });

  test('the first row holds the first line of numbers', async () => {
    const iris = await readCsv(join(DATA, 'iris.csv'));
    assert.deepEqual(
      iris.columns.slice(0, 4).map((c) => (c.kind === 'numeric' ? c.values[0] : NaN)),
      [5.1, 3.5, 1.4, 0.2],
    );
  });

  test('row i starts on line i + 2', async () => {
    const iris = await readCsv(join(DATA, 'iris.csv'));
    assert.equal(iris.lines?.[149], 151);
  });
});

describe('readCsv quoting, line endings and gaps', () => {
  test('a quoted field keeps its comma', async () => {
    const table = await readCsv(writeCsv('quoted.csv', 'name,x\n"Smith, Jo",1\nLee,2\n'));
    assert.equal(textAt(table.columns[0], 0), 'Smith, Jo');
  });

  test('a quoted field with a comma does not shift the next column', async () => {
    const table = await readCsv(writeCsv('quoted2.csv', 'name,x\n"Smith, Jo",1\nLee,2\n'));
    assert.equal(textAt(table.columns[1], 0), '1');
  });

  test('a BOM does not become part of the first column name', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const path = writeCsv('bom.csv', Buffer.concat([bom, Buffer.from('a,b\r\n1,2\r\n3,4\r\n')]));
    const table = await readCsv(path);
    assert.equal(table.columns[0].name, 'a');
  });

  test('CRLF line ends leave no carriage return in the last column', async () => {
    const table = await readCsv(writeCsv('crlf.csv', 'a,b\r\n1,x\r\n3,y\r\n'));
    assert.deepEqual(levelsOf(table.columns[1]), ['x', 'y']);
  });

  test('empty cells, NA and ? are missing numbers', async () => {
    const table = await readCsv(writeCsv('gaps.csv', 'a,b\n1,\nNA,2\n?,3\n4,5\n'));
    const a = table.columns[0];
    assert.deepEqual(a.kind === 'numeric' ? Array.from(a.values) : [], [1, NaN, NaN, 4]);
  });

  test('a missing text cell gets code -1', async () => {
    const table = await readCsv(writeCsv('gaps2.csv', 'a,b\nx,1\nNA,2\ny,3\n'));
    const a = table.columns[0];
    assert.deepEqual(a.kind === 'categorical' ? Array.from(a.codes) : [], [0, -1, 1]);
  });

  test('a column that turns to text keeps the numbers read before as levels', async () => {
    const table = await readCsv(writeCsv('switch.csv', 'a\n1.5\n2\nabc\n2\n'));
    assert.deepEqual(
      [0, 1, 2, 3].map((row) => textAt(table.columns[0], row)),
      ['1.5', '2', 'abc', '2'],
    );
  });

  test('a quoted field spanning lines moves the next row one line down', async () => {
    const table = await readCsv(writeCsv('multiline.csv', 'a,b\r\n"x\r\ny",1\r\nz,2\r\n'));
    assert.deepEqual(Array.from(table.lines ?? []), [2, 4]);
  });
});

describe('readCsv mistakes', () => {
  test('a ragged row names its line and both field counts', async () => {
    const path = writeCsv('ragged.csv', 'a,b,c,d\n1,2,3,4\n5,6,7,8,9\n');
    const error = await errorOf(path);
    assert.equal(
      error.toString(),
      `${path}:3: row has 5 fields but the header has 4; every row needs one value per column`,
    );
  });

  test('the ragged line counts skipped empty lines and quoted CRLFs', async () => {
    const path = writeCsv('ragged2.csv', 'a,b\r\n"p\r\nq",1\r\n\r\n2,3\r\n4\r\n');
    const error = await errorOf(path);
    assert.equal(error.where?.line, 6);
  });

  test('an empty file says it is empty', async () => {
    const error = await errorOf(writeCsv('empty.csv', ''));
    assert.match(error.message, /the file is empty/);
  });

  test('a header-only file says it has no data rows', async () => {
    const error = await errorOf(writeCsv('header.csv', 'a,b,c\n'));
    assert.match(error.message, /no data rows/);
  });

  test('an unclosed quote is a UserError, not a parser stack trace', async () => {
    const error = await errorOf(writeCsv('quote.csv', 'a,b\n"x,1\n'));
    assert.match(error.message, /not valid CSV/);
  });

  test('a missing file says so', async () => {
    const error = await errorOf(join(dir, 'nope.csv'));
    assert.match(error.message, /does not exist/);
  });
});
