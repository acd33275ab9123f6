import type { BackendPreference } from '../core/backend';
import { parseConfigText } from '../core/config/load';
import { UserError } from '../core/errors';
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
import type { Pruner } from '../core/sweep/pruner';
import type { Sweep, SweepManifest, TrialRecord } from '../core/sweep/store';
import type { TrainerEvent } from '../protocol/events';
import type { Job, JobHooks, JobOutcome, MemberEpochReport } from './job';
import type { MemberPool } from './member-pool';
import { runJob } from './run-job';
import type { SweepHooks } from './run-sweep';

/*
 * One trial of a sweep: its job (the sweep's config with the trial's values written in, or
 * the resume of its run), the pruner answering after each epoch, and its objective read from
 * the run's report. Several trials run at once in one process, each through these functions.
 */

/** What a trial's run came to, to be merged into its record. */
type TrialResult = Pick<TrialRecord, 'state'> &
  Partial<Pick<TrialRecord, 'value' | 'reason' | 'runId'>>;

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

/** What every trial of a sweep session trains with. */
export interface TrialContext {
  storeRoot: string;
  backend: BackendPreference;
  pruner: Pruner;
  hooks: SweepHooks;
  /** The caller's signal, or the sweep's own when another trial threw: stops the trial. */
  signal: AbortSignal;
  /** The worker threads every trial fits its members on; none: on this thread. */
  pool?: MemberPool;
  /** How many of a trial's members it may hand out at once (the pool's size, or 1). */
  parallel: number;
  /** The sweep's time so far, written after each trial for the time budget. */
  elapsedMs: () => number;
}

/**
 * Marks a trial (new, or interrupted and taken up again) as running in the manifest at once,
 * so that the next trial asked for sees it; `saved` settles once sweep.json holds it.
 */
export function claimTrial(
  sweep: Sweep,
  trial: TrialRecord,
): { record: TrialRecord; saved: Promise<void> } {
  const record: TrialRecord = {
    ...trial,
    state: 'running',
    reason: undefined,
    intermediate: [],
    startedAt: new Date().toISOString(),
    finishedAt: undefined,
  };
  return { record, saved: sweep.putTrial(record) };
}

/** Trains a claimed trial and records how it ended, its finish time and the sweep's best. */
export async function runTrial(
  sweep: Sweep,
  { record, saved }: ReturnType<typeof claimTrial>,
  context: TrialContext,
): Promise<void> {
  await saved;
  context.hooks.onTrialStarted?.(record, sweep.manifest);

  const result = await trainTrial(sweep, record, context);
  const finished = { ...record, ...result, finishedAt: new Date().toISOString() };
  await sweep.putTrial(finished);
  await sweep.update({ elapsedMs: context.elapsedMs(), best: bestTrial(sweep.manifest)?.number });
  context.hooks.onTrialFinished?.(finished, sweep.manifest);
}

/** Trains (or resumes) a trial's run and reads its objective from the run's report. */
async function trainTrial(
  sweep: Sweep,
  trial: TrialRecord,
  context: TrialContext,
): Promise<TrialResult> {
  const store = new RunStore(context.storeRoot);
  const previous = trial.runId ? openRun(store, trial.runId) : undefined;
  if (previous?.manifest.status === 'completed') return scoreTrial(sweep, previous);
  if (previous?.manifest.status === 'pruned') {
    return { state: 'pruned', reason: previous.manifest.reason, runId: previous.id };
  }

  const job = previous ? resumeJob(previous, context) : trialJob(sweep, trial, context);
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
    signal: context.signal,
    onEpoch: epochWatcher(sweep, trial, context.pruner),
    pool: context.pool,
    poolForSequential: sweep.manifest.sweep.parallel > 1,
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
  context: TrialContext,
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
    storeRoot: context.storeRoot,
    backend: context.backend,
    parallel: context.parallel,
  };
}

function resumeJob(run: Run, context: TrialContext): Job {
  const { storeRoot, backend, parallel } = context;
  return { kind: 'resume', runId: run.id, storeRoot, backend, parallel };
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
