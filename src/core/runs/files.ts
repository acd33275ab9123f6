import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

let writes = 0;

/**
 * Writes a whole file under a temporary name and renames it into place, so a reader (or a
 * crash) never sees half a file.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // Unique per write: members training at once write beside each other in the same moment.
  const temporary = `${path}.tmp-${process.pid}-${Date.now()}-${++writes}`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function readJson<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Appends one JSON value as a line; a crash can at worst leave a torn last line. */
export function appendJsonLine(path: string, value: unknown): void {
  appendFileSync(path, `${JSON.stringify(value)}\n`);
}

/**
 * Reads a JSON-lines file. A last line that does not parse (the process died while writing
 * it) is skipped; a bad line anywhere else is real damage and is reported.
 */
export function readJsonLines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n');
  const values: T[] = [];

  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      values.push(JSON.parse(line) as T);
    } catch (error) {
      const isLast = lines.slice(index + 1).every((rest) => rest.trim() === '');
      if (!isLast) throw new Error(`${path}:${index + 1}: damaged event line`, { cause: error });
    }
  });
  return values;
}
