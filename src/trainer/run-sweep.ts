import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { type BackendPreference, initBackend } from '../core/backend';
import { loadConfig } from '../core/config/load';
import { UserError } from '../core/errors';
import type { Logger } from '../core/log';
import { bestTrial } from '../core/sweep/best';
import { createPruner } from '../core/sweep/pruner';
import { createSampler, type Sampler } from '../core/sweep/sampler';
import { type Sweep, type SweepManifest, SweepStore, type TrialRecord } from '../core/sweep/store';
import type { TrainerEvent } from '../protocol/events';
import { MemberPool } from './member-pool';
import { claimTrial, observedTrials, runTrial, type TrialContext } from './sweep-trial';

export { bestTrial, observedTrials };

/** Start a sweep from a config with a `sweep` section, or go on with one that stopped. */
export type SweepJob = (
  | { kind: 'sweep'; configPath: string; storeRoot: string; backend: BackendPreference }
  | { kind: 'resume-sweep'; sweepId: string; storeRoot: string; backend: BackendPreference }
) & {
  /**
   * How many members may train at once, over all the trials running at once, on worker
   * threads the trials share; default: one per core. 1 trains every member on this thread.
   */
  parallel?: number;
};

/** How a sweep reports back. */
export interface SweepHooks {
  logger: Logger;
  /** Aborting cancels every running trial and stops the sweep; a resume goes on from there. */
  signal?: AbortSignal;
  /** Every event of every trial's run. */
  emit?: (event: TrainerEvent) => void;
  onTrialStarted?: (trial: TrialRecord, sweep: SweepManifest) => void;
  onTrialFinished?: (trial: TrialRecord, sweep: SweepManifest) => void;
}

/**
 * Runs a sweep's trials, up to `sweep.parallel` at once, until the trial budget, the time
 * budget or the search space is used up. Each trial is a run in the run store; sweep.json is
 * rewritten after every change, so a sweep killed at any point resumes without repeating
 * finished trials: the trials that were running are resumed (their runs keep the members they
 * finished).
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
  const context = await slotContext(sweep, job, hooks);

  try {
    await runInSlots(sweep, context);
  } finally {
    await context.pool?.close();
  }
  const status = hooks.signal?.aborted ? 'cancelled' : 'completed';
  await sweep.update({ status, finishedAt: new Date().toISOString() });
}

/** The sampler, the pruner, the shared workers, the clock and the signal of this session. */
async function slotContext(sweep: Sweep, job: SweepJob, hooks: SweepHooks): Promise<SlotContext> {
  const { sampler, parameters, pruner } = sweep.manifest.sweep;
  const failed = new AbortController();
  const signal = hooks.signal ? AbortSignal.any([hooks.signal, failed.signal]) : failed.signal;
  const { pool, parallel } = await sharedPool(job, hooks.logger);
  const clock = sweepClock(sweep.manifest.elapsedMs);

  return {
    storeRoot: job.storeRoot,
    backend: job.backend,
    pruner: createPruner(pruner),
    hooks,
    signal,
    pool,
    parallel,
    elapsedMs: clock.elapsedMs,
    sampler: createSampler(sampler, parameters),
    clock,
    failed,
  };
}

/**
 * One pool of `job.parallel` workers (one per core) for every trial; none when that is 1.
 * Trials at once are jobs in this process that fit their members there, so total workers stay
 * at `job.parallel` however many trials run. Giving each trial cores / `sweep.parallel`
 * workers instead would, with two cores and two trials, leave each trial one member at a
 * time, which a job trains on this thread: both trials would take turns on one core.
 * A worker that dies outright fails only the member it was fitting; the pool starts a fresh
 * one for the next fit.
 */
async function sharedPool(
  job: SweepJob,
  logger: Logger,
): Promise<{ pool?: MemberPool; parallel: number }> {
  const parallel = Math.max(1, job.parallel ?? availableParallelism());
  if (parallel === 1) return { parallel };

  const backend = await initBackend(job.backend, logger);
  return { pool: new MemberPool(parallel, backend.name, logger), parallel };
}

/** What the scheduler needs beyond what each trial does. */
interface SlotContext extends TrialContext {
  sampler: Sampler;
  clock: ReturnType<typeof sweepClock>;
  /** Aborted when a trial throws, which stops the others. */
  failed: AbortController;
}

/**
 * Keeps up to `sweep.parallel` trials running: whenever one ends, the next is asked for, so
 * the sampler suggests while others still run. Once cancelled, or once a trial throws, no
 * trial starts; the running ones are waited for, and the first error is thrown after them.
 */
async function runInSlots(sweep: Sweep, context: SlotContext): Promise<void> {
  const slots = Math.max(1, sweep.manifest.sweep.parallel);
  const running = new Set<Promise<void>>();
  const errors: unknown[] = [];
  const start = (trial: TrialRecord): void => {
    context.clock.start();
    const done: Promise<void> = runTrial(sweep, claimTrial(sweep, trial), context)
      .catch((error: unknown) => {
        errors.push(error);
        context.failed.abort();
      })
      .finally(() => running.delete(done));
    running.add(done);
  };
  const fill = (): void => {
    while (running.size < slots && !context.signal.aborted) {
      const trial = nextTrial(sweep, context);
      if (!trial) return;
      start(trial);
    }
  };

  for (fill(); running.size > 0; fill()) await Promise.race(running);
  if (errors.length > 0) throw errors[0];
}

/**
 * The trial to run next: one that was interrupted (it is run again, with the same values),
 * else a new one from the sampler while the budgets last. Numbers follow the order trials
 * are asked for, which is the order they start.
 */
function nextTrial(sweep: Sweep, context: SlotContext): TrialRecord | undefined {
  const { trials, sweep: config } = sweep.manifest;
  const spent = config.timeBudget !== undefined && context.elapsedMs() >= config.timeBudget * 1000;
  if (spent) return undefined;
  const interrupted = trials.find((t) => t.state === 'interrupted');
  if (interrupted) return interrupted;
  if (trials.length >= config.trials) return undefined;

  const number = trials.reduce((max, t) => Math.max(max, t.number), 0) + 1;
  const params = context.sampler.suggest(number, observedTrials(sweep.manifest));
  if (!params) return undefined;
  return { number, state: 'running', params, intermediate: [], startedAt: '' };
}

/**
 * The sweep's time over its sessions, for the time budget: the time recorded before, plus the
 * wall time since this session's first trial started (trials at once count once).
 */
function sweepClock(before: number): { start: () => void; elapsedMs: () => number } {
  let since: number | undefined;
  return {
    start: () => {
      since ??= performance.now();
    },
    elapsedMs: () => before + (since === undefined ? 0 : performance.now() - since),
  };
}
