import { initBackend, type BackendChoice } from '../core/backend';
import { checkTaskCompatibility, configHash, loadConfig } from '../core/config/load';
import type { EnsembleConfig } from '../core/config/types';
import { prepareData } from '../core/data/prepare';
import type { PreparedData } from '../core/data/types';
import { buildReport, type MemberOutputs } from '../core/ensembles/evaluate';
import type { Retraining } from '../core/evaluation/cross-validation';
import { evaluationSections, type EvaluationSections } from '../core/evaluation/extras';
import { methodModule } from '../core/ensembles/methods';
import {
  MemberFailed,
  RunCancelled,
  type EnsembleMethodModule,
  type MemberPlan,
  type MethodResult,
} from '../core/ensembles/plan';
import { UserError } from '../core/errors';
import { Rng } from '../core/random';
import type { SweepLink } from '../core/runs/manifest';
import { RunStore, type Run } from '../core/runs/store';
import { availableParallelism } from 'node:os';
import type { TrainerEvent } from '../protocol/events';
import type { Job, JobHooks, JobOutcome } from './job';
import { importMembers } from './import-run';
import { MemberPool } from './member-pool';
import { trainOrLoadMember } from './train-member';

/**
 * Runs a job from start to end: reads the config (or the run being resumed), prepares the
 * data, trains each member that is not yet done, combines and scores them, and keeps it all
 * in the run store. Mistakes in the input throw UserError before any run is created.
 */
export async function runJob(job: Job, hooks: JobHooks): Promise<JobOutcome> {
  const store = new RunStore(job.storeRoot);
  const previous = job.kind === 'resume' ? openForResume(store, job.runId) : undefined;
  const source = job.kind === 'rerun' ? store.open(job.runId) : previous;
  const config = source ? readRunConfig(source) : await jobConfig(job, hooks);
  const seed =
    source?.manifest.seed ?? (job.kind === 'train' ? job.seed : undefined) ?? config.training.seed;

  const backend = await initBackend(job.backend, hooks.logger);
  const data = await prepareData(
    config.data,
    seed,
    hooks.logger,
    config.configPath,
    config.training.sampleWeightColumn,
  );
  checkTaskCompatibility(config, data.train.task);
  const method = methodModule(config.ensemble.method);
  const members = method.members({ config, train: data.train, rng: new Rng(seed) });

  const sweep = job.kind === 'trial' ? job.sweep : undefined;
  const run = previous ?? (await createRun(store, config, backend, seed, members, sweep));
  if (previous) await previous.claim();
  await run.writeJson('preprocessor.json', data.preprocessor);
  const parallel = Math.max(1, job.parallel ?? availableParallelism());
  const context = { config, data, method, seed, store, parallel };
  return trainRun(run, context, members, backend, hooks, previous !== undefined);
}

async function jobConfig(job: Job, hooks: JobHooks): Promise<EnsembleConfig> {
  if (job.kind === 'trial') return structuredClone(job.config);
  if (job.kind === 'train') return loadConfig(job.configPath, hooks.logger);
  throw new Error(`a ${job.kind} job reads its config from its run`);
}

/** What a run trains with, once the config and data are read. */
interface RunContext {
  config: EnsembleConfig;
  data: PreparedData;
  method: EnsembleMethodModule;
  seed: number;
  store: RunStore;
  /** How many members may train at once (see Job.parallel). */
  parallel: number;
}

/** The job's hooks, plus the run's event log and the workers that fit its members. */
type RunHooks = JobHooks & { emitRun: (event: TrainerEvent) => void; pool?: MemberPool };
type Failure = { name: string; kind: string; reason: string };

async function trainRun(
  run: Run,
  context: RunContext,
  members: { name: string; kind: string }[],
  backend: BackendChoice,
  hooks: JobHooks,
  resumed: boolean,
): Promise<JobOutcome> {
  const { config } = context;
  const emitRun = (event: TrainerEvent): void => {
    run.appendEvent(event);
    hooks.emit(event);
  };
  emitRun({
    type: 'run-started',
    runId: run.id,
    time: Date.now(),
    configName: config.name,
    configPath: config.configPath,
    backend: backend.name,
    members,
    resumed,
  });

  // Its workers start only when a fit asks for one (a method that trains members at once, or
  // cross-validation), so a sequential method with nothing to retrain starts none. A sweep
  // passes in one pool for all its trials; this run then leaves it open.
  const own = hooks.pool === undefined && context.parallel > 1;
  const pool = own ? new MemberPool(context.parallel, backend.name, hooks.logger) : hooks.pool;
  try {
    return await trainMembersAndReport(run, context, { ...hooks, emitRun, pool });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await run.update({ status: 'failed', error: reason, finishedAt: new Date().toISOString() });
    emitRun({ type: 'run-failed', runId: run.id, time: Date.now(), reason });
    throw error;
  } finally {
    if (own) await pool?.close();
  }
}

/**
 * Lets the method train its members (each through trainOrLoadMember, so a resumed run loads
 * what it finished), then writes the report. A failed member is recorded and left out.
 */
async function trainMembersAndReport(
  run: Run,
  { config, data, method, seed, store, parallel }: RunContext,
  hooks: RunHooks,
): Promise<JobOutcome> {
  const failed: Failure[] = [];
  // A method that trains one member after another fits each on this thread: on a worker it
  // would only add the worker's start-up and a save and reload of every model. Unless other
  // jobs use the pool at the same time (sweep trials at once): this thread is theirs too.
  const onPool = method.trainsAtOnce || hooks.poolForSequential === true;
  const memberHooks = onPool ? hooks : { ...hooks, pool: undefined };
  const trainMember = async (plan: MemberPlan): Promise<MemberOutputs> => {
    if (hooks.signal?.aborted) throw new RunCancelled();
    const outputs = await trainOrFail(plan, config, data, run, memberHooks, failed);
    if (outputs.pruned !== undefined) throw new RunPruned(outputs.pruned);
    if (outputs.cancelled) throw new RunCancelled();
    return outputs;
  };

  const importRun = async (ref: string, at: string): Promise<MemberOutputs[]> => {
    const plans = await importMembers(ref, at, { run, store, config, data, seed });
    const outputs: MemberOutputs[] = [];
    for (const plan of plans) outputs.push(await trainMember(plan));
    return outputs;
  };

  let result: MethodResult;
  try {
    const rng = new Rng(seed);
    const logger = hooks.logger;
    const inFlight = memberHooks.pool?.size;
    const context = { config, data, rng, logger, trainMember, importRun, parallel, inFlight };
    result = await method.run(context);
  } catch (error) {
    if (error instanceof RunCancelled) return cancel(run, hooks);
    if (error instanceof RunPruned) return prune(run, error.reason, hooks);
    throw error;
  }
  if (result.members.length === 0)
    throw new UserError(
      `no member of "${config.name}" trained: ${failed[0]?.reason ?? 'none was planned'}`,
    );
  const retraining = hooks.pool ? retrainingOn(hooks.pool, parallel) : undefined;
  const sections = await evaluationSections(config, data, result, seed, hooks.logger, retraining);
  return finish(run, config, data, result, failed, hooks, sections);
}

/** Cross-validation's members fit on the run's workers, its folds up to `parallel` at once. */
function retrainingOn(pool: MemberPool, parallel: number): Retraining {
  return { fit: (kind, input) => pool.fit(kind, input), parallel };
}

async function trainOrFail(
  plan: MemberPlan,
  config: EnsembleConfig,
  data: PreparedData,
  run: Run,
  hooks: RunHooks,
  failed: Failure[],
): Promise<MemberOutputs & { cancelled: boolean; pruned?: string }> {
  try {
    return await trainOrLoadMember(plan, config, data, run, hooks);
  } catch (error) {
    // A user's mistake keeps its file:line:col, so the failed member points at the setting.
    const reason = error instanceof UserError ? error.toString() : errorText(error);
    failed.push({ name: plan.name, kind: plan.spec.model, reason });
    await run.updateMember(plan.name, { status: 'failed', reason });
    hooks.emitRun({
      type: 'member-failed',
      runId: run.id,
      time: Date.now(),
      member: plan.name,
      reason,
    });
    throw new MemberFailed(plan.name, reason);
  }
}

async function finish(
  run: Run,
  config: EnsembleConfig,
  data: PreparedData,
  result: MethodResult,
  failed: Failure[],
  hooks: RunHooks,
  sections: EvaluationSections,
): Promise<JobOutcome> {
  const report = { ...buildReport(run.id, config, data, result, failed), ...sections };
  await run.writeJson('report.json', report);
  await run.writeJson('combiner.json', {
    members: result.members.map((m) => m.plan.name),
    combiner: result.combiner,
  });

  for (const [name, value] of Object.entries(report.ensemble.metrics)) {
    hooks.emitRun({
      type: 'metric',
      runId: run.id,
      time: Date.now(),
      scope: 'ensemble',
      split: 'test',
      name,
      value,
    });
  }
  if (report.oob) {
    hooks.emitRun({
      type: 'metric',
      runId: run.id,
      time: Date.now(),
      scope: 'ensemble',
      split: 'oob',
      name: report.oob.metric,
      value: report.oob.value,
    });
  }

  await run.update({
    status: 'completed',
    finishedAt: new Date().toISOString(),
    metrics: report.ensemble.metrics,
    // A sequential method that stopped early leaves rounds it never started: drop them.
    members: run.manifest.members.filter((m) => m.status !== 'pending'),
  });
  hooks.emitRun({
    type: 'run-done',
    runId: run.id,
    time: Date.now(),
    metrics: report.ensemble.metrics,
  });
  return { runId: run.id, status: 'completed' };
}

async function cancel(run: Run, hooks: RunHooks): Promise<JobOutcome> {
  const members = run.manifest.members.map((m) =>
    m.status === 'running' ? { ...m, status: 'pending' as const } : m,
  );
  await run.update({ status: 'cancelled', finishedAt: new Date().toISOString(), members });
  hooks.emitRun({ type: 'run-cancelled', runId: run.id, time: Date.now() });
  return { runId: run.id, status: 'cancelled' };
}

async function prune(run: Run, reason: string, hooks: RunHooks): Promise<JobOutcome> {
  const members = run.manifest.members.map((m) =>
    m.status === 'running' ? { ...m, status: 'pending' as const } : m,
  );
  await run.update({ status: 'pruned', reason, finishedAt: new Date().toISOString(), members });
  hooks.emitRun({ type: 'run-pruned', runId: run.id, time: Date.now(), reason });
  return { runId: run.id, status: 'pruned', reason };
}

/** Thrown out of a method's trainMember when the sweep's pruner stops the trial. */
class RunPruned extends Error {
  constructor(readonly reason: string) {
    super(`the trial was pruned: ${reason}`);
    this.name = 'RunPruned';
  }
}

async function createRun(
  store: RunStore,
  config: EnsembleConfig,
  backend: BackendChoice,
  seed: number,
  members: { name: string; kind: string }[],
  sweep: SweepLink | undefined,
): Promise<Run> {
  const run = await store.create({
    ...(sweep ? { sweep } : {}),
    configName: config.name,
    configPath: config.configPath,
    configHash: configHash(config),
    backend: backend.name,
    backendReason: backend.reason,
    seed,
    members: members.map((m) => ({ ...m, status: 'pending' })),
  });
  await run.writeJson('config.json', config);
  return run;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function openForResume(store: RunStore, runId: string): Run {
  const run = store.open(runId);
  const status = run.manifest.status;
  if (status === 'running')
    throw new UserError(
      `run "${run.id}" is still training in process ${run.manifest.pid}; it cannot be resumed twice`,
    );
  if (status === 'completed')
    throw new UserError(`run "${run.id}" is already complete; there is nothing to resume`);
  return run;
}

function readRunConfig(run: Run): EnsembleConfig {
  const config = run.readJson<EnsembleConfig>('config.json');
  if (!config)
    throw new UserError(`run "${run.id}" has no config.json; it cannot be resumed or re-run`);
  return config;
}
