/**
 * A table as read from a file, before typing and preprocessing: one entry per column, kept
 * column by column so large files cost numbers, not strings.
 */
export interface RawTable {
  /** The file the rows came from, for error messages. */
  path: string;
  columns: RawColumn[];
  rows: number;
  /**
   * The 1-based line in the file where each row starts (the header is line 1). Absent for
   * formats without lines (Parquet, IDX); positions are then given as row numbers.
   */
  lines?: Int32Array;
  /** `[height, width, channels]` when the feature columns are image pixels (IDX). */
  imageShape?: number[];
}

/**
 * A numeric column holds NaN for missing values; a categorical column holds codes into
 * `levels`, -1 for missing. IDX pixels are kept as Float32Array to halve their memory.
 */
export type RawColumn =
  | { name: string; kind: 'numeric'; values: Float64Array | Float32Array }
  | { name: string; kind: 'categorical'; levels: string[]; codes: Int32Array };

/** Cell texts that mean "no value" in CSV files. */
const MISSING = new Set(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', '?']);

export function isMissingText(text: string): boolean {
  return MISSING.has(text);
}

/** The number a cell's text stands for, or undefined when it is not a finite number. */
export function parseNumber(text: string): number | undefined {
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** The line of row `row` (0-based), when the table has lines. */
export function lineOfRow(table: RawTable, row: number): number | undefined {
  return table.lines ? table.lines[row] : undefined;
}

/** "line 57" when the table has lines, else "row 56" (1-based), for messages. */
export function describeRow(table: RawTable, row: number): string {
  const line = lineOfRow(table, row);
  return line === undefined ? `row ${row + 1}` : `line ${line}`;
}

/** Where a cell is, as `{ file, line, column }` for UserError; column is 1-based. */
export function cellPosition(table: RawTable, row: number, column: number) {
  return { file: table.path, line: lineOfRow(table, row), column: column + 1 };
}

/** Finds a column by exact name. */
export function findColumn(table: RawTable, name: string): RawColumn | undefined {
  return table.columns.find((c) => c.name === name);
}

/**
 * Collects one column's values as they stream in. It stays numeric while every value parses
 * as a number, and switches to levels + codes the first time one does not.
 */
export class ColumnBuilder {
  private numbers: Float64Array | undefined = new Float64Array(1024);
  private codes: Int32Array | undefined;
  private levels: string[] = [];
  private levelIndex = new Map<string, number>();
  private size = 0;

  constructor(readonly name: string) {}

  /** Adds a cell given as text (CSV, or a Parquet string column). */
  pushText(text: string): void {
    if (isMissingText(text)) return this.pushMissing();

    if (this.numbers) {
      const value = parseNumber(text);
      if (value !== undefined) return this.pushNumber(value);
      this.switchToLevels();
    }
    this.pushCode(this.codeOf(text));
  }

  /** Adds a cell given as a number; NaN means missing. */
  pushNumber(value: number): void {
    if (!this.numbers) return this.pushCode(Number.isNaN(value) ? -1 : this.codeOf(String(value)));

    if (this.size === this.numbers.length) this.numbers = grow(this.numbers);
    this.numbers[this.size++] = value;
  }

  pushMissing(): void {
    if (this.numbers) this.pushNumber(NaN);
    else this.pushCode(-1);
  }

  /** The finished column, trimmed to its length. */
  build(): RawColumn {
    if (this.numbers) {
      return { name: this.name, kind: 'numeric', values: this.numbers.slice(0, this.size) };
    }
    const codes = (this.codes as Int32Array).slice(0, this.size);
    return { name: this.name, kind: 'categorical', levels: this.levels, codes };
  }

  private pushCode(code: number): void {
    if (!this.codes) throw new Error('ColumnBuilder: codes used before the switch to levels');
    if (this.size === this.codes.length) this.codes = grow(this.codes);
    this.codes[this.size++] = code;
  }

  private codeOf(text: string): number {
    let code = this.levelIndex.get(text);
    if (code === undefined) {
      code = this.levels.length;
      this.levels.push(text);
      this.levelIndex.set(text, code);
    }
    return code;
  }

  /**
   * Earlier numbers become levels by their shortest text form, so "1.50" read before the
   * switch shows as level "1.5": the original spelling is not kept, to save memory.
   */
  private switchToLevels(): void {
    const numbers = this.numbers as Float64Array;
    const codes = new Int32Array(Math.max(numbers.length, 1024));

    for (let i = 0; i < this.size; i++) {
      codes[i] = Number.isNaN(numbers[i]) ? -1 : this.codeOf(String(numbers[i]));
    }
    this.codes = codes;
    this.numbers = undefined;
  }
}

function grow<T extends Float64Array | Int32Array>(buffer: T): T {
  const bigger = new (buffer.constructor as new (n: number) => T)(buffer.length * 2);
  bigger.set(buffer);
  return bigger;
}

/** A growing Int32 buffer, for per-row line numbers. */
export class IntBuffer {
  private data = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) this.data = grow(this.data);
    this.data[this.length++] = value;
  }

  build(): Int32Array {
    return this.data.slice(0, this.length);
  }
}
