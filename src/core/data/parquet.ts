import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import type { ColumnData } from 'hyparquet';
import { UserError } from '../errors';
import { ColumnBuilder, type RawTable } from './table';

/**
 * Reads a Parquet file into the same columns as the CSV reader: numbers stay numbers, strings
 * are typed like CSV cells (a string column whose every value is a number becomes numeric),
 * booleans become the levels "false" and "true", dates become milliseconds since 1970.
 * Nested columns (lists, maps, structs) are not supported.
 */
export async function readParquet(path: string): Promise<RawTable> {
  const file = await openFile(path);
  const metadata = await parquetMetadataAsync(file).catch((error: unknown) => {
    throw new UserError(`the file is not a Parquet file (${String(error)}); check the path`, {
      file: path,
    });
  });
  const names = flatColumnNames(path, parquetSchema(metadata).children);
  const rows = Number(metadata.num_rows);
  const chunks = new Map<string, ColumnData[]>(names.map((n) => [n, []]));

  await parquetRead({
    file,
    metadata,
    onChunk: (chunk) => chunks.get(chunk.columnName)?.push(chunk),
  });

  const columns = names.map((name) => buildColumn(name, chunks.get(name) ?? [], rows));
  if (rows === 0) {
    throw new UserError('the Parquet file has no rows; it needs at least one', { file: path });
  }
  return { path, columns, rows };
}

async function openFile(path: string) {
  try {
    return await asyncBufferFromFile(path);
  } catch {
    throw new UserError('the data file does not exist; check the path in the config', {
      file: path,
    });
  }
}

function flatColumnNames(path: string, children: { children: unknown[]; path: string[] }[]) {
  return children.map((child) => {
    if (child.children.length > 0) {
      throw new UserError(
        `column "${child.path.join('.')}" is nested (a list, map or struct); ` +
          'only flat columns can be read, so flatten it before training',
        { file: path },
      );
    }
    return child.path[0];
  });
}

/** Chunks arrive per row group; they are put back in row order before the values are kept. */
function buildColumn(name: string, chunks: ColumnData[], rows: number) {
  const builder = new ColumnBuilder(name);
  const ordered = [...chunks].sort((a, b) => a.rowStart - b.rowStart);
  let next = 0;

  for (const chunk of ordered) {
    for (let i = Math.max(next, chunk.rowStart); i < Math.min(chunk.rowEnd, rows); i++) {
      pushValue(builder, chunk.columnData[i - chunk.rowStart]);
    }
    next = Math.max(next, chunk.rowEnd);
  }
  return builder.build();
}

function pushValue(builder: ColumnBuilder, value: unknown): void {
  if (value === null || value === undefined) builder.pushMissing();
  else if (typeof value === 'number') builder.pushNumber(value);
  else if (typeof value === 'bigint') builder.pushNumber(Number(value));
  else if (typeof value === 'string') builder.pushText(value.trim());
  else if (typeof value === 'boolean') builder.pushText(String(value));
  else if (value instanceof Date) builder.pushNumber(value.getTime());
  else builder.pushText(JSON.stringify(value));
}
