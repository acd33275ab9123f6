import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../errors';
import type { RawColumn, RawTable } from './table';

/** The name of the label column of a table read from IDX files. */
export const IDX_LABEL_COLUMN = 'label';

/** One IDX array: its dimensions and its values in file order, as numbers. */
export interface IdxArray {
  dims: number[];
  /** The element type byte: 0x08 unsigned byte, 0x09 signed byte, 0x0b-0x0e wider types. */
  dtype: number;
  values: ArrayLike<number>;
}

const DTYPES: Record<number, { size: number; read: (v: DataView, at: number) => number }> = {
  0x08: { size: 1, read: (v, at) => v.getUint8(at) },
  0x09: { size: 1, read: (v, at) => v.getInt8(at) },
  0x0b: { size: 2, read: (v, at) => v.getInt16(at) },
  0x0c: { size: 4, read: (v, at) => v.getInt32(at) },
  0x0d: { size: 4, read: (v, at) => v.getFloat32(at) },
  0x0e: { size: 8, read: (v, at) => v.getFloat64(at) },
};

/**
 * Parses the IDX format of the MNIST family: two zero bytes, a type byte, a dimension count,
 * the dimensions as big-endian 32-bit integers, then the values big-endian. Gzipped files
 * (starting 1f 8b) are unpacked first.
 */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  const data = isGzip(bytes) ? gunzip(bytes, file) : bytes;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const dtype = data[2];
  const type = DTYPES[dtype];

  if (data.length < 4 || data[0] !== 0 || data[1] !== 0 || !type || data[3] === 0) {
    throw new UserError(
      'the file is not an IDX file (its first 4 bytes are not an IDX magic number)',
      {
        file,
      },
    );
  }
  const dims = readDims(view, data[3], file);
  const count = dims.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * dims.length;
  checkLength(data.length, start + count * type.size, file);

  const values =
    dtype === 0x08 ? data.subarray(start, start + count) : readValues(view, start, count, type);
  return { dims, dtype, values };
}

function readDims(view: DataView, ndims: number, file: string): number[] {
  checkLength(view.byteLength, 4 + 4 * ndims, file);
  return Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i));
}

function readValues(view: DataView, start: number, count: number, type: (typeof DTYPES)[number]) {
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = type.read(view, start + i * type.size);
  return values;
}

function checkLength(actual: number, needed: number, file: string): void {
  if (actual >= needed) return;
  throw new UserError(
    `the IDX file is truncated: its header promises ${needed} bytes but it has ${actual}; ` +
      'download it again',
    { file },
  );
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function gunzip(bytes: Uint8Array, file: string): Uint8Array {
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new UserError(
      `the gzipped IDX file cannot be unpacked (${String(error)}); download it again`,
      {
        file,
      },
    );
  }
}

/**
 * Reads an images file and a labels file into a table: one Float32 column per pixel (unsigned
 * bytes scaled to [0, 1]; other types kept as they are) and a numeric `label` column.
 * `imageShape` is `[height, width, channels]`, channels 1 unless the file has a fourth dim.
 */
export async function readIdx(imagesPath: string, labelsPath: string): Promise<RawTable> {
  const images = parseIdx(await readBytes(imagesPath), imagesPath);
  const labels = parseIdx(await readBytes(labelsPath), labelsPath);
  const rows = images.dims[0];

  if (images.dims.length < 2) {
    throw new UserError('the images file has one dimension; it needs [count, height, width]', {
      file: imagesPath,
    });
  }
  if (labels.dims.length !== 1 || labels.dims[0] !== rows) {
    throw new UserError(
      `the labels file holds [${labels.dims.join(', ')}] values but the images file has ` +
        `${rows} images; give the labels file that belongs to these images`,
      { file: labelsPath },
    );
  }
  const label: RawColumn = {
    name: IDX_LABEL_COLUMN,
    kind: 'numeric',
    values: Float64Array.from(labels.values),
  };
  const columns = [...pixelColumns(images, rows), label];
  return { path: imagesPath, columns, rows, imageShape: imageShape(images.dims) };
}

/**
 * The pixel columns are views into one column-major buffer rather than one array each: a
 * single large block goes back to the system when the table is dropped, where hundreds of
 * column-sized blocks stay in the process's heap after preparation has finished with them.
 */
function pixelColumns(images: IdxArray, rows: number): RawColumn[] {
  const features = images.dims.slice(1).reduce((a, b) => a * b, 1);
  const scale = images.dtype === 0x08 ? 1 / 255 : 1;
  const pixels = new Float32Array(rows * features);

  for (let r = 0; r < rows; r++) {
    const from = r * features;
    for (let f = 0; f < features; f++) pixels[f * rows + r] = images.values[from + f] * scale;
  }
  return Array.from({ length: features }, (_, f) => ({
    name: `pixel${f}`,
    kind: 'numeric',
    values: pixels.subarray(f * rows, (f + 1) * rows),
  }));
}

function imageShape(dims: number[]): number[] | undefined {
  if (dims.length === 3) return [dims[1], dims[2], 1];
  if (dims.length === 4) return dims.slice(1);
  return undefined;
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch {
    throw new UserError('the IDX file does not exist; check the path in the config', {
      file: path,
    });
  }
}
