import { open } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { asyncBufferFromFile, parquetMetadataAsync, parquetSchema } from 'hyparquet';
import { UserError } from '../../core/errors';

/** `<folder>/<data file name>.ensemble.json`, beside the data. */
export function starterPath(dataFile: string): string {
  const name = basename(dataFile, extname(dataFile));
  return join(dirname(dataFile), `${name}.ensemble.json`);
}

/**
 * A config that trains as written: soft voting of an MLP and a linear model, the last column
 * as the target. `combine` is left to its default, which follows the task the target shows
 * (soft-vote for classes, mean for numbers), so the starter works for both.
 */
export function starterConfigText(dataFile: string, columns: string[]): string {
  const target = columns.at(-1);
  if (!target) throw new UserError('the data file has no columns; pick a file with a header row');
  const name = basename(dataFile, extname(dataFile));
  const config = {
    name,
    data: { train: `./${basename(dataFile)}`, target },
    members: [
      { name: 'mlp', model: 'mlp', hidden: [32, 16], dropout: 0.1 },
      { name: 'linear', model: 'linear' },
    ],
    training: {
      epochs: 100,
      batchSize: 32,
      learningRate: 0.01,
      earlyStopping: { patience: 10 },
      seed: 1,
    },
    ensemble: { method: 'voting' },
  };
  const comment = [
    `// Starter ensemble for ${basename(dataFile)}: an MLP and a linear model, voting.`,
    `// "${target}" (the last column) is the target; change data.target to predict another.`,
  ];
  return `${comment.join('\n')}\n${JSON.stringify(config, null, 2)}\n`;
}

/** The column names of a CSV header row or a Parquet schema. */
export async function readColumnNames(file: string): Promise<string[]> {
  if (extname(file).toLowerCase() === '.parquet') {
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(file));
    return parquetSchema(metadata).children.map((c) => c.element.name);
  }
  const header = await firstLine(file);
  const [row] = parse(header, { relax_quotes: true, bom: true }) as string[][];
  return (row ?? []).map((c) => c.trim());
}

async function firstLine(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    return text.split(/\r?\n/)[0];
  } finally {
    await handle.close();
  }
}
