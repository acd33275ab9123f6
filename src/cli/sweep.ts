import { stderrLogger } from '../core/log';
import type { SweepManifest, SweepStore, TrialRecord } from '../core/sweep/store';
import { bestTrial, runSweep, type SweepJob } from '../trainer/run-sweep';
import { table } from './leaderboard';
import type { CommonOptions } from './main';
import { printJson } from './output';

/** A sweep in which no trial completed: exit code 1, with the first trial's reason. */
export class SweepFailedError extends Error {
  constructor(readonly sweep: SweepManifest) {
    const reason = sweep.trials.find((t) => t.reason)?.reason ?? 'no trial ran';
    super(`no trial of sweep ${sweep.id} completed; trial 1: ${reason}`);
    this.name = 'SweepFailedError';
  }
}

/** What `sweep --json` prints: the sweep's manifest and its best trial. */
export interface SweepJson {
  sweep: SweepManifest;
  best: TrialRecord | null;
}

/**
 * Runs or resumes a sweep in this process: one line per trial on standard error, then the best
 * trial on standard output (or, with `--json`, the sweep and its best trial). Ctrl+C cancels
 * every running trial and stops the sweep (exit code 130); `--resume` goes on from there.
 */
export async function sweepCommand(job: SweepJob, options: CommonOptions): Promise<void> {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);

  try {
    const manifest = await runSweep(job, {
      logger: stderrLogger(options.verbose ? 'debug' : 'warn'),
      signal: controller.signal,
      onTrialFinished: (trial, sweep) => process.stderr.write(`${trialLine(trial, sweep)}\n`),
    });
    printOutcome(manifest, options);
  } finally {
    process.off('SIGINT', onSignal);
  }
}

function printOutcome(sweep: SweepManifest, options: CommonOptions): void {
  const best = bestTrial(sweep) ?? null;
  if (sweep.status === 'cancelled') {
    process.stderr.write(
      `sweep ${sweep.id} cancelled; "ensemble-lab sweep --resume ${sweep.id}" goes on\n`,
    );
    process.exitCode = 130;
  }

  if (options.json) printJson({ sweep, best } satisfies SweepJson);
  else process.stdout.write(`${bestText(sweep, best)}\nsweep: ${sweep.id}\n`);
  if (!best && sweep.status !== 'cancelled') throw new SweepFailedError(sweep);
}

/** `trial 3/20  training.learningRate=0.00312 members[0].hidden[0]=64  accuracy 0.9512` */
export function trialLine(trial: TrialRecord, sweep: SweepManifest): string {
  const head = `trial ${trial.number}/${sweep.sweep.trials}`;
  const params = Object.entries(trial.params)
    .map(([path, value]) => `${path}=${formatValue(value)}`)
    .join(' ');

  return `${head}  ${params}  ${outcomeText(trial, sweep)}`;
}

function outcomeText(trial: TrialRecord, sweep: SweepManifest): string {
  if (trial.state === 'completed') {
    const metric = sweep.objective.metric ?? 'objective';
    return `${metric} ${trial.value?.toFixed(4)}  run ${trial.runId}`;
  }
  if (trial.state === 'pruned') return `${trial.reason ?? 'pruned'}  run ${trial.runId}`;
  if (trial.state === 'failed') return `failed: ${trial.reason ?? 'unknown reason'}`;
  return trial.state;
}

function bestText(sweep: SweepManifest, best: TrialRecord | null): string {
  const count = (state: TrialRecord['state']): number =>
    sweep.trials.filter((t) => t.state === state).length;
  const tally =
    `${sweep.trials.length} trials: ${count('completed')} completed, ` +
    `${count('pruned')} pruned, ${count('failed')} failed`;
  if (!best) return `${tally}; no trial completed`;

  const { metric, split } = sweep.objective;
  const lines = Object.entries(best.params).map(([p, v]) => `  ${p} = ${formatValue(v)}`);
  return [
    tally,
    `best: trial ${best.number}, ${split} ${metric} ${best.value?.toFixed(4)}, run ${best.runId}`,
    ...lines,
  ].join('\n');
}

/** Floats with four significant digits; whole numbers and words as they are. */
function formatValue(value: unknown): string {
  if (typeof value === 'number' && !Number.isInteger(value)) return value.toPrecision(4);
  return String(value);
}

/** Lists the sweeps, newest first: status, trials done and the best objective. */
export function sweepsCommand(store: SweepStore, options: Pick<CommonOptions, 'json'>): void {
  const sweeps = store.list();
  if (options.json) return printJson(sweeps);
  if (sweeps.length === 0) {
    process.stdout.write(`no sweeps in ${store.sweepsDir}\n`);
    return;
  }

  const header = ['sweep', 'status', 'config', 'trials', 'best'];
  process.stdout.write(`${table([header, ...sweeps.map(sweepRow)])}\n`);
}

function sweepRow(s: SweepManifest): string[] {
  const best = bestTrial(s);
  const done = s.trials.filter((t) => t.state !== 'running' && t.state !== 'interrupted');
  const score = best
    ? `${s.objective.metric} ${best.value?.toFixed(4)} (trial ${best.number})`
    : '';
  return [s.id, s.status, s.configName, `${done.length}/${s.sweep.trials}`, score];
}
