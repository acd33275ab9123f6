import { checkConfigFile, loadConfig, type ConfigProblem } from '../core/config/load';
import { isUserError } from '../core/errors';
import { stderrLogger } from '../core/log';
import type { RunManifest } from '../core/runs/manifest';
import type { RunReport } from '../core/runs/report';
import { RunStore, type Run } from '../core/runs/store';
import type { TrainerEvent } from '../protocol/events';
import type { Job, JobOutcome } from '../trainer/job';
import { runJob } from '../trainer/run-job';
import { RunFailedError } from './errors';
import { table } from './leaderboard';
import type { CommonOptions } from './main';
import { leaderboardOf, printJson, runJson } from './output';
import { progressReporter } from './progress';

/**
 * Trains or resumes a run in this process, drawing progress on standard error, then prints
 * the leaderboard (or, with `--json`, the run and its report). A run that started and then
 * failed throws RunFailedError; Ctrl+C cancels it, keeping finished members (exit code 130).
 */
export async function trainCommand(job: Job, options: CommonOptions): Promise<void> {
  const progress = progressReporter(process.stderr.isTTY === true);
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  let runId: string | undefined;
  const emit = (event: TrainerEvent): void => {
    if (event.type === 'run-started') runId = event.runId;
    progress.onEvent(event);
  };
  process.once('SIGINT', onSignal);

  try {
    const logger = stderrLogger(options.verbose ? 'debug' : 'warn');
    const outcome = await runJob(job, { emit, logger, signal: controller.signal });
    progress.stop();
    printOutcome(new RunStore(job.storeRoot).open(outcome.runId), outcome, options);
  } catch (error) {
    progress.stop();
    if (runId === undefined) throw error;
    if (options.json) printJson(runJson(new RunStore(job.storeRoot).open(runId)));
    throw new RunFailedError(runId, error);
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
  }
}

function printOutcome(run: Run, outcome: JobOutcome, options: CommonOptions): void {
  if (outcome.status === 'cancelled') {
    process.stderr.write(`run ${run.id} cancelled; "ensemble-lab resume ${run.id}" finishes it\n`);
    process.exitCode = 130;
  }

  const result = runJson(run);
  if (options.json) printJson(result);
  else if (result.report)
    process.stdout.write(`${leaderboardOf(run, result.report)}\nrun: ${run.id}\n`);
}

/** A config problem as `validate --json` lists it; a file that cannot be read has no line. */
export interface ValidationProblem {
  file: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  severity: ConfigProblem['severity'];
  message: string;
}

/**
 * Checks a config. Text: one line when valid, else every error (exit code 2), warnings on
 * standard error. JSON: `{ file, valid, problems }` with each problem's place, exit code 2
 * when one of them is an error.
 */
export async function validateCommand(
  configPath: string,
  options: Pick<CommonOptions, 'json'>,
): Promise<void> {
  if (options.json) {
    const result = await validation(configPath);
    printJson(result);
    if (!result.valid) process.exitCode = 2;
    return;
  }

  const config = await loadConfig(configPath, stderrLogger('warn'));
  process.stdout.write(
    `${configPath}: valid (${config.members.length} members, ${config.ensemble.method})\n`,
  );
}

async function validation(
  configPath: string,
): Promise<{ file: string; valid: boolean; problems: ValidationProblem[] }> {
  try {
    const { file, problems } = await checkConfigFile(configPath);
    const valid = !problems.some((p) => p.severity === 'error');
    return { file, valid, problems: problems.map((p) => placed(file, p)) };
  } catch (error) {
    if (!isUserError(error)) throw error;
    const problem = { file: configPath, severity: 'error' as const, message: error.message };
    return { file: configPath, valid: false, problems: [problem] };
  }
}

function placed(file: string, p: ConfigProblem): ValidationProblem {
  const { line, column, endLine, endColumn, severity, message } = p;
  return { file, line, column, endLine, endColumn, severity, message };
}

/** Lists the runs, newest first, with status, finished members and headline metric. */
export function runsCommand(store: RunStore, options: Pick<CommonOptions, 'json'>): void {
  const runs = store.list();
  if (options.json) return printJson(runs);
  if (runs.length === 0) {
    process.stdout.write(`no runs in ${store.runsDir}\n`);
    return;
  }

  const header = ['run', 'status', 'config', 'members', 'score', 'backend'];
  process.stdout.write(`${table([header, ...runs.map(runRow)])}\n`);
}

function runRow(r: RunManifest): string[] {
  const done = r.members.filter((m) => m.status === 'done').length;
  const headline = r.metrics
    ? Object.entries(r.metrics).find(([k]) => k === 'accuracy' || k === 'r2')
    : undefined;
  const score = headline ? `${headline[0]} ${headline[1].toFixed(4)}` : '';
  return [r.id, r.status, r.configName, `${done}/${r.members.length}`, score, r.backend];
}

/** Prints a run's leaderboard, or which members finished when it has no report yet. */
export function showCommand(
  store: RunStore,
  runId: string,
  options: Pick<CommonOptions, 'json'>,
): void {
  const run = store.open(runId);
  if (options.json) return printJson(runJson(run));

  const report = run.readJson<RunReport>('report.json');
  if (!report) {
    const done = run.manifest.members.filter((m) => m.status === 'done').map((m) => m.name);
    const why = run.manifest.reason ? ` (${run.manifest.reason})` : '';
    process.stdout.write(
      `run ${run.id} is ${run.manifest.status}${why}; ` +
        `finished members: ${done.join(', ') || 'none'}\n`,
    );
    return;
  }
  process.stdout.write(`${leaderboardOf(run, report)}\n`);
}

export async function deleteCommand(store: RunStore, runId: string): Promise<void> {
  const id = await store.delete(runId);
  process.stdout.write(`deleted run ${id}\n`);
}
