import { resolve } from 'node:path';
import { initBackend } from '../core/backend';
import { UserError } from '../core/errors';
import { stderrLogger } from '../core/log';
import { evaluateRun } from '../core/runs/evaluate';
import type { RunStore } from '../core/runs/store';
import { readDataFile } from './data-file';
import type { CommonOptions } from './main';
import { leaderboardOf, printJson } from './output';

/**
 * Scores a run's members and ensemble again from their saved models, on the run's own test
 * split or on the labelled rows of `--data`, and prints the leaderboard `show` prints (with
 * `--json`: the run's manifest, the file, and the report).
 */
export async function evalCommand(
  store: RunStore,
  runId: string,
  options: CommonOptions & { data?: string; labels?: string },
): Promise<void> {
  if (options.labels && !options.data)
    throw new UserError('--labels goes with an IDX image file: add --data with its path');
  const run = store.open(runId);
  const logger = stderrLogger(options.verbose ? 'debug' : 'warn');
  const data = options.data ? resolve(options.data) : undefined;
  const labels = options.labels ? resolve(options.labels) : undefined;
  const table = data ? await readDataFile(data, labels) : undefined;

  await initBackend(options.backend, logger);
  const report = await evaluateRun(run, logger, table);
  if (options.json) printJson({ run: run.manifest, data: data ?? null, report });
  else process.stdout.write(`${leaderboardOf(run, report)}\n`);
}
