import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { UserError } from '../errors';
import { readIdx } from './idx';
import type { RawColumn } from './table';

const dir = mkdtempSync(join(tmpdir(), 'ensemble-lab-idx-'));

/** An unsigned-byte IDX file: magic 00 00 08 ndims, big-endian dims, then the bytes. */
function idxBytes(dims: number[], values: number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt8(0x08, 2);
  header.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(values)]);
}

function write(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

// Three 2x3 images; image r has pixel p equal to 10 * r + p, and one pixel at 255.
const PIXELS = [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 20, 21, 22, 23, 24, 255];
const LABELS = [7, 0, 3];
const images = write('images-idx3-ubyte', idxBytes([3, 2, 3], PIXELS));
const labels = write('labels-idx1-ubyte.gz', gzipSync(idxBytes([3], LABELS)));

function numbers(column: RawColumn): number[] {
  return column.kind === 'numeric' ? Array.from(column.values) : [];
}

describe('readIdx round trip', () => {
  test('reads one row per image', async () => {
    const table = await readIdx(images, labels);
    assert.equal(table.rows, 3);
  });

  test('gives height x width pixel columns and a label column', async () => {
    const table = await readIdx(images, labels);
    assert.equal(table.columns.length, 2 * 3 + 1);
  });

  test('the image shape is [height, width, 1]', async () => {
    const table = await readIdx(images, labels);
    assert.deepEqual(table.imageShape, [2, 3, 1]);
  });

  test('pixel 5 of each image is its byte divided by 255', async () => {
    const table = await readIdx(images, labels);
    const expected = [5, 15, 255].map((b) => Math.fround(b / 255));
    assert.deepEqual(numbers(table.columns[5]), expected);
  });

  test('pixel 0 of each image is its first byte divided by 255', async () => {
    const table = await readIdx(images, labels);
    const expected = [0, 10, 20].map((b) => Math.fround(b / 255));
    assert.deepEqual(numbers(table.columns[0]), expected);
  });

  test('the pixel columns are views of one buffer, so dropping the table frees one block', async () => {
    const table = await readIdx(images, labels);
    const buffers = table.columns
      .slice(0, 6)
      .map((c) => (c.kind === 'numeric' ? c.values.buffer : c));
    assert.equal(new Set(buffers).size, 1);
  });

  test('labels are read from the gzipped file in order', async () => {
    const table = await readIdx(images, labels);
    assert.deepEqual(numbers(table.columns[6]), LABELS);
  });
});

describe('readIdx mistakes', () => {
  test('a bad magic number is a UserError naming the file', async () => {
    const bad = write('bad-magic', Buffer.from([1, 2, 3, 4, 0, 0, 0, 1, 9]));
    await assert.rejects(readIdx(bad, labels), (error: unknown) => {
      return error instanceof UserError && error.where?.file === bad && /magic/.test(error.message);
    });
  });

  test('a truncated file is a UserError naming the file', async () => {
    const cut = write('truncated', idxBytes([3, 2, 3], PIXELS).subarray(0, 20));
    await assert.rejects(readIdx(cut, labels), (error: unknown) => {
      return (
        error instanceof UserError && error.where?.file === cut && /truncated/.test(error.message)
      );
    });
  });

  test('a label count unlike the image count is a UserError on the labels file', async () => {
    const two = write('two-labels', idxBytes([2], [1, 2]));
    await assert.rejects(readIdx(images, two), (error: unknown) => {
      return error instanceof UserError && error.where?.file === two;
    });
  });
});

const FASHION = '/usr/share/datasets/fashion-mnist';
const fashionImages = join(FASHION, 't10k-images-idx3-ubyte.gz');
const fashionLabels = join(FASHION, 't10k-labels-idx1-ubyte.gz');
const skipFashion = existsSync(fashionImages)
  ? false
  : `${FASHION} is not on this machine, so the real t10k files cannot be read`;

test(
  'reads the real Fashion-MNIST t10k files: 10000 images of 28x28',
  { skip: skipFashion },
  async () => {
    const table = await readIdx(fashionImages, fashionLabels);
    assert.deepEqual([table.rows, ...(table.imageShape ?? [])], [10000, 28, 28, 1]);
  },
);
