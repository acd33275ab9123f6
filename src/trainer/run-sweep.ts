import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { BackendPreference } from '../core/backend';
import { loadConfig, parseConfigText } from '../core/config/load';
import { UserError } from '../core/errors';
import type { Logger } from '../core/log';
import type { RunReport } from '../core/runs/report';
import { RunStore, type Run } from '../core/runs/store';
import { trialConfigText } from '../core/sweep/apply';
import { bestTrial } from '../core/sweep/best';
import { type ObservedTrial, toLoss } from '../core/sweep/history';
import {
  intermediateLoss,
  intermediateScore,
  type IntermediateMetric,
  objectiveValue,
  type SettledObjective,
  settleObjective,
} from '../core/sweep/objective';
import { createPruner, type Pruner } from '../core/sweep/pruner';
import { createSampler, type Sampler } from '../core/sweep/sampler';
import { type Sweep, type SweepManifest, SweepStore, type TrialRecord } from '../core/sweep/store';
import type { TrainerEvent } from '../protocol/events';
import type { Job, JobHooks, JobOutcome, MemberEpochReport } from './job';
import { runJob } from './run-job';

export { bestTrial };

/** Start a sweep from a config with a `sweep` section, or go on with one that stopped. */
export type SweepJob =
  | { kind: 'sweep'; configPath: string; storeRoot: string; backend: BackendPreference }
  | { kind: 'resume-sweep'; sweepId: string; storeRoot: string; backend: BackendPreference };

/** How a sweep reports back. */
export interface SweepHooks {
  logger: Logger;
  /** Aborting cancels the running trial and stops the sweep; a resume goes on from there. */
  signal?: AbortSignal;
  /** Every event of every trial's run. */
  emit?: (event: TrainerEvent) => void;
  onTrialStarted?: (trial: TrialRecord, sweep: SweepManifest) => void;
  onTrialFinished?: (trial: TrialRecord, sweep: SweepManifest) => void;
}

/** What a trial's run came to, to be merged into its record. */
type TrialResult = Pick<TrialRecord, 'state'> &
  Partial<Pick<TrialRecord, 'value' | 'reason' | 'runId'>>;

/**
 * Runs a sweep's trials one after another until the trial budget, the time budget or the
 * search space is used up. Each trial is a run in the run store; sweep.json is rewritten after
 * every change, so a sweep killed at any point resumes without repeating finished trials: the
 * trial that was running is resumed (its run keeps the members it finished).
 *
 * Trials run one after another in this process: `sweep.parallel` has no effect yet. Each
 * trial is a self-contained job (its resolved config, seed and sweep link), so running several
 * at once, here or on workers, changes this loop and not the trials.
 */
export async function runSweep(job: SweepJob, hooks: SweepHooks): Promise<SweepManifest> {
  const sweep = job.kind === 'sweep' ? await startSweep(job, hooks) : await reopenSweep(job);

  try {
    await runTrials(sweep, job, hooks);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await sweep.update({ status: 'failed', error: reason, finishedAt: new Date().toISOString() });
    throw error;
  }
  return sweep.manifest;
}

async function startSweep(
  job: Extract<SweepJob, { kind: 'sweep' }>,
  hooks: SweepHooks,
): Promise<Sweep> {
  const config = await loadConfig(job.configPath, hooks.logger);
  if (!config.sweep) {
    const message =
      'this config has no "sweep" section; add one with the "parameters" to search ' +
      '(see docs/config.md)';
    throw new UserError(message, { file: config.configPath });
  }

  return new SweepStore(job.storeRoot).create({
    configName: config.name,
    configPath: config.configPath,
    configText: await readFile(config.configPath, 'utf8'),
    sweep: config.sweep,
  });
}

async function reopenSweep(job: Extract<SweepJob, { kind: 'resume-sweep' }>): Promise<Sweep> {
  const sweep = new SweepStore(job.storeRoot).open(job.sweepId);
  const { status, pid } = sweep.manifest;
  if (status === 'running') {
    throw new UserError(`sweep "${sweep.id}" is still running in process ${pid}`);
  }
  if (status === 'completed') {
    throw new UserError(`sweep "${sweep.id}" is already complete; there is nothing to resume`);
  }

  const trials = sweep.manifest.trials.map((t) =>
    t.state === 'running' ? { ...t, state: 'interrupted' as const } : t,
  );
  await sweep.update({ status: 'running', pid: process.pid, trials, error: undefined });
  return sweep;
}

async function runTrials(sweep: Sweep, job: SweepJob, hooks: SweepHooks): Promise<void> {
  const { sampler: samplerConfig, parameters, pruner: prunerConfig } = sweep.manifest.sweep;
  const sampler = createSampler(samplerConfig, parameters);
  const pruner = createPruner(prunerConfig);

  for (let next = nextTrial(sweep, sampler); next; next = nextTrial(sweep, sampler)) {
    await runTrial(sweep, next, { job, pruner, hooks });
    if (hooks.signal?.aborted) {
      await sweep.update({ status: 'cancelled', finishedAt: new Date().toISOString() });
      return;
    }
  }
  await sweep.update({ status: 'completed', finishedAt: new Date().toISOString() });
}

/**
 * The trial to run next: one that was interrupted (it is run again, with the same values),
 * else a new one from the sampler while the budgets last.
 */
function nextTrial(sweep: Sweep, sampler: Sampler): TrialRecord | undefined {
  const { trials, sweep: config, elapsedMs } = sweep.manifest;
  if (config.timeBudget !== undefined && elapsedMs >= config.timeBudget * 1000) return undefined;
  const interrupted = trials.find((t) => t.state === 'interrupted');
  if (interrupted) return interrupted;
  if (trials.length >= config.trials) return undefined;

  const number = trials.reduce((max, t) => Math.max(max, t.number), 0) + 1;
  const params = sampler.suggest(number, observedTrials(sweep.manifest));
  if (!params) return undefined;
  return { number, state: 'running', params, intermediate: [], startedAt: '' };
}

/** The trials as samplers and pruners see them: scores turned into losses. */
export function observedTrials(manifest: SweepManifest): ObservedTrial[] {
  const direction = manifest.objective.direction ?? 'maximize';
  const metric = manifest.intermediateMetric ?? 'valLoss';

  return manifest.trials.map((t) => ({
    number: t.number,
    state: t.state,
    params: t.params,
    loss: t.value === undefined ? undefined : toLoss(t.value, direction),
    curve: t.intermediate.map((v) => intermediateLoss(metric, v)),
  }));
}

interface TrialContext {
  job: SweepJob;
  pruner: Pruner;
  hooks: SweepHooks;
}

async function runTrial(sweep: Sweep, trial: TrialRecord, context: TrialContext): Promise<void> {
  const started = performance.now();
  const record: TrialRecord = {
    ...trial,
    state: 'running',
    reason: undefined,
    intermediate: [],
    startedAt: new Date().toISOString(),
  };
  await sweep.putTrial(record);
  context.hooks.onTrialStarted?.(record, sweep.manifest);

  const result = await trainTrial(sweep, record, context);
  const finished = { ...record, ...result, finishedAt: new Date().toISOString() };
  await sweep.putTrial(finished);
  const elapsedMs = sweep.manifest.elapsedMs + (performance.now() - started);
  await sweep.update({ elapsedMs, best: bestTrial(sweep.manifest)?.number });
  context.hooks.onTrialFinished?.(finished, sweep.manifest);
}

/** Trains (or resumes) a trial's run and reads its objective from the run's report. */
async function trainTrial(
  sweep: Sweep,
  trial: TrialRecord,
  context: TrialContext,
): Promise<TrialResult> {
  const store = new RunStore(context.job.storeRoot);
  const previous = trial.runId ? openRun(store, trial.runId) : undefined;
  if (previous?.manifest.status === 'completed') return scoreTrial(sweep, previous);
  if (previous?.manifest.status === 'pruned') {
    return { state: 'pruned', reason: previous.manifest.reason, runId: previous.id };
  }

  const job = previous ? resumeJob(previous, context.job) : trialJob(sweep, trial, context.job);
  if ('failed' in job) return { state: 'failed', reason: job.failed };
  return trainRunOfTrial(sweep, trial, job, store, context);
}

async function trainRunOfTrial(
  sweep: Sweep,
  trial: TrialRecord,
  job: Job,
  store: RunStore,
  context: TrialContext,
): Promise<TrialResult> {
  let saving = Promise.resolve();
  const emit = (event: TrainerEvent): void => {
    if (event.type === 'run-started' && trial.runId !== event.runId) {
      trial.runId = event.runId;
      saving = saving.then(() => sweep.putTrial({ ...trial }));
    }
    context.hooks.emit?.(event);
  };
  const hooks: JobHooks = {
    emit,
    logger: context.hooks.logger,
    signal: context.hooks.signal,
    onEpoch: epochWatcher(sweep, trial, context.pruner),
  };

  const outcome = await runJob(job, hooks).catch((error: unknown) => error);
  await saving;
  if (!isOutcome(outcome)) {
    return {
      state: 'failed',
      reason: outcome instanceof Error ? outcome.message : String(outcome),
    };
  }
  if (outcome.status === 'pruned') return { state: 'pruned', reason: outcome.reason };
  if (outcome.status !== 'completed') return { state: 'interrupted', reason: 'cancelled' };

  return scoreTrial(sweep, store.open(outcome.runId));
}

function isOutcome(value: unknown): value is JobOutcome {
  return typeof value === 'object' && value !== null && 'runId' in value && 'status' in value;
}

/**
 * Follows a trial's validation score epoch by epoch (the mean over its members at each epoch)
 * and asks the pruner after each one whether to stop.
 */
function epochWatcher(
  sweep: Sweep,
  trial: TrialRecord,
  pruner: Pruner,
): (report: MemberEpochReport) => { stop: string } | void {
  const sums: number[] = [];
  const counts: number[] = [];

  return (report) => {
    const score = intermediateScore(report, sweep.manifest.objective);
    if (!score || !Number.isFinite(score.value)) return undefined;
    const i = report.epoch - 1;
    sums[i] = (sums[i] ?? 0) + score.value;
    counts[i] = (counts[i] ?? 0) + 1;
    trial.intermediate[i] = sums[i] / counts[i];
    sweep.manifest.intermediateMetric = score.metric;

    const others = observedTrials(sweep.manifest).filter((t) => t.number !== trial.number);
    const loss = intermediateLoss(score.metric, trial.intermediate[i]);
    const describe = (l: number): string => describeIntermediate(score.metric, l);
    const question = { number: trial.number, epoch: report.epoch, loss, others, describe };
    const reason = pruner.prune(question);
    return reason === undefined ? undefined : { stop: reason };
  };
}

/** `validation accuracy 0.9310` for the loss -0.931. */
function describeIntermediate(metric: IntermediateMetric, loss: number): string {
  const value = intermediateLoss(metric, loss);
  const name = metric === 'valAccuracy' ? 'validation accuracy' : 'validation loss';
  return `${name} ${value.toFixed(4)}`;
}

/** The trial's job: the sweep's config text with the trial's values written in, resolved. */
function trialJob(
  sweep: Sweep,
  trial: TrialRecord,
  job: SweepJob,
): Extract<Job, { kind: 'trial' }> | { failed: string } {
  const { configText, configPath } = sweep.manifest;
  const { config, problems } = parseConfigText(
    trialConfigText(configText, trial.params),
    configPath,
  );
  if (!config) {
    const first = problems.find((p) => p.severity === 'error');
    return { failed: `these values make the config invalid: ${first?.message ?? 'unknown'}` };
  }

  return {
    kind: 'trial',
    config,
    sweep: { sweepId: sweep.id, trial: trial.number },
    storeRoot: job.storeRoot,
    backend: job.backend,
  };
}

function resumeJob(run: Run, job: SweepJob): Job {
  return { kind: 'resume', runId: run.id, storeRoot: job.storeRoot, backend: job.backend };
}

function openRun(store: RunStore, runId: string): Run | undefined {
  try {
    return store.open(runId);
  } catch {
    return undefined;
  }
}

/** The objective read from a finished run's report; the first report settles the objective. */
async function scoreTrial(sweep: Sweep, run: Run): Promise<TrialResult> {
  const report = run.readJson<RunReport>('report.json');
  if (!report) return { state: 'failed', reason: 'the run has no report', runId: run.id };
  const objective = await settled(sweep, report);
  const value = objectiveValue(report, objective);
  if (value === undefined) throw objectiveError(sweep, objective, report);

  return { state: 'completed', value, runId: run.id };
}

async function settled(sweep: Sweep, report: RunReport): Promise<SettledObjective> {
  const { objective } = sweep.manifest;
  if (objective.metric && objective.direction) return objective as SettledObjective;
  const settledObjective = settleObjective(objective, report.task);
  await sweep.update({ objective: settledObjective });
  return settledObjective;
}

function objectiveError(sweep: Sweep, objective: SettledObjective, report: RunReport): UserError {
  const { configText, configPath } = sweep.manifest;
  const positions = parseConfigText(configText, configPath).config?.positions ?? {};
  const where = positions['sweep.objective.metric'] ?? positions['sweep'];
  const metrics = Object.keys(report.ensemble.metrics).join(', ');
  const message =
    `the objective "${objective.metric}" is not a ${objective.split} metric of this ` +
    `${report.task} ensemble; use one of ${metrics}`;

  return new UserError(message, { file: configPath, line: where?.line, column: where?.column });
}
