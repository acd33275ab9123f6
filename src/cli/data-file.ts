import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import type { DataSource } from '../core/config/types';
import { UserError } from '../core/errors';
import { readSource, type RawTable } from '../core/data/prepare';

/**
 * Reads the rows a command was given: a CSV or Parquet file (by its extension), or an IDX
 * image file with its label file. Paths are already absolute.
 */
export async function readDataFile(file: string, labels?: string): Promise<RawTable> {
  for (const path of labels ? [file, labels] : [file])
    if (!existsSync(path))
      throw new UserError('the file does not exist; check the path on the command line', {
        file: path,
      });
  return readSource(dataSource(file, labels));
}

function dataSource(file: string, labels: string | undefined): DataSource {
  if (labels) return { kind: 'idx', images: file, labels };
  if (/\.idx\d?(-ubyte)?(\.gz)?$|-ubyte(\.gz)?$/i.test(file))
    throw new UserError(
      'an IDX image file needs its labels: add --labels with the path of the IDX label file',
      { file },
    );

  const format = ['.parquet', '.pq'].includes(extname(file).toLowerCase()) ? 'parquet' : 'csv';
  return { kind: 'table', path: file, format };
}
