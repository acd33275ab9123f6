import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { silentLogger } from '../src/core/log';
import type { RunReport } from '../src/core/runs/report';
import { RunStore } from '../src/core/runs/store';
import { runJob } from '../src/trainer/run-job';

export const ROOT = resolve(__dirname, '..');
export const EXAMPLES = join(ROOT, 'examples');
const CLI = join(ROOT, 'src', 'cli', 'main.ts');
/** tsx's loader by absolute URL: the CLI runs in test folders that have no node_modules. */
export const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** A fresh folder holding a copy of the example data, for configs that a test writes. */
export function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ensemble-lab-'));
  mkdirSync(join(dir, 'data'));
  for (const name of ['iris', 'wine', 'breast_cancer', 'digits', 'diabetes']) {
    copyFileSync(join(EXAMPLES, 'data', `${name}.csv`), join(dir, 'data', `${name}.csv`));
  }
  return dir;
}

export function writeConfig(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Runs the CLI from source, as a user would run `ensemble-lab`, in `cwd`. */
export function cli(args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', TSX, CLI, ...args], { cwd, encoding: 'utf8' });
}

export function cliAsync(args: string[], cwd: string): ReturnType<typeof spawn> {
  return spawn(process.execPath, ['--import', TSX, CLI, ...args], { cwd, stdio: 'pipe' });
}

/**
 * Trains a config written into `dir` in this process, with the job runner the CLI uses, on
 * the wasm backend; returns the run's id and its report.
 */
export async function trainInProcess(
  dir: string,
  name: string,
  text: string,
): Promise<{ id: string; report: RunReport }> {
  const storeRoot = join(dir, '.ensemble-lab');
  const job = {
    kind: 'train' as const,
    configPath: writeConfig(dir, name, text),
    storeRoot,
    backend: 'wasm' as const,
  };
  const outcome = await runJob(job, { emit: () => undefined, logger: silentLogger });
  const report = new RunStore(storeRoot).open(outcome.runId).readJson<RunReport>('report.json');
  if (!report) throw new Error(`run ${outcome.runId} wrote no report.json`);
  return { id: outcome.runId, report };
}
