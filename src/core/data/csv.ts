import { createReadStream } from 'node:fs';
import { CsvError, parse } from 'csv-parse';
import { UserError } from '../errors';
import { ColumnBuilder, IntBuffer, type RawTable } from './table';

export type { RawColumn, RawTable } from './table';

interface CsvRecord {
  record: string[];
  info: { empty_lines: number };
}

/**
 * Reads a CSV file with a header row into columns, streaming, so a large file is held as
 * numbers and level codes rather than as strings. Empty cells, "NA" and "?" are missing.
 * A row with the wrong number of fields is a UserError at its exact line.
 */
export async function readCsv(path: string): Promise<RawTable> {
  const file = createReadStream(path);
  const parser = file.pipe(
    parse({
      bom: true,
      info: true,
      trim: true,
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
    }),
  );
  // pipe() does not pass on the file's own errors (a missing file), so hand them over.
  file.on('error', (error) => parser.destroy(error));

  try {
    return await collect(path, parser as AsyncIterable<CsvRecord>);
  } catch (error) {
    throw asUserError(path, error);
  }
}

async function collect(path: string, records: AsyncIterable<CsvRecord>): Promise<RawTable> {
  let builders: ColumnBuilder[] | undefined;
  const lines = new IntBuffer();
  const tracker = new LineTracker();

  for await (const { record, info } of records) {
    const line = tracker.startOf(record, info.empty_lines);
    if (!builders) {
      builders = header(path, record, line);
      continue;
    }
    checkWidth(path, record, builders.length, line);
    for (let c = 0; c < record.length; c++) builders[c].pushText(record[c]);
    lines.push(line);
  }
  return finish(path, builders, lines);
}

function header(path: string, record: string[], line: number): ColumnBuilder[] {
  const seen = new Set<string>();
  return record.map((name, c) => {
    if (name === '') {
      throw new UserError(`column ${c + 1} of the header has no name; give every column a name`, {
        file: path,
        line,
        column: c + 1,
      });
    }
    if (seen.has(name)) {
      throw new UserError(`the header names column "${name}" twice; rename one of them`, {
        file: path,
        line,
        column: c + 1,
      });
    }
    seen.add(name);
    return new ColumnBuilder(name);
  });
}

function checkWidth(path: string, record: string[], width: number, line: number): void {
  if (record.length === width) return;
  throw new UserError(
    `row has ${record.length} fields but the header has ${width}; ` +
      'every row needs one value per column',
    { file: path, line },
  );
}

function finish(path: string, builders: ColumnBuilder[] | undefined, lines: IntBuffer): RawTable {
  if (!builders) {
    throw new UserError('the file is empty; it needs a header row and at least one data row', {
      file: path,
    });
  }
  if (lines.length === 0) {
    throw new UserError('the file has a header but no data rows; add at least one row', {
      file: path,
      line: 1,
    });
  }
  return {
    path,
    columns: builders.map((b) => b.build()),
    rows: lines.length,
    lines: lines.build(),
  };
}

/**
 * csv-parse's own line counter counts a CRLF inside a quoted field as two lines, so the start
 * line of each record is worked out here: every record spans one line plus the line breaks
 * inside its fields, and skipped empty lines come before the record that follows them.
 */
class LineTracker {
  private nextLine = 1;
  private emptySoFar = 0;

  startOf(record: string[], emptyLines: number): number {
    const start = this.nextLine + (emptyLines - this.emptySoFar);
    this.emptySoFar = emptyLines;
    this.nextLine = start + 1 + record.reduce((n, field) => n + lineBreaks(field), 0);
    return start;
  }
}

function lineBreaks(field: string): number {
  if (field.indexOf('\n') < 0 && field.indexOf('\r') < 0) return 0;
  return field.match(/\r\n|\r|\n/g)?.length ?? 0;
}

function asUserError(path: string, error: unknown): unknown {
  if (error instanceof CsvError) {
    const line = typeof error.lines === 'number' ? error.lines : undefined;
    return new UserError(`the file is not valid CSV (${error.message}); fix the quoting`, {
      file: path,
      line,
    });
  }
  if (isNodeError(error) && error.code === 'ENOENT') {
    return new UserError('the data file does not exist; check the path in the config', {
      file: path,
    });
  }
  return error;
}

function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}
