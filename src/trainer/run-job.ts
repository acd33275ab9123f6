import { initBackend, type BackendChoice } from '../core/backend';
import { checkTaskCompatibility, configHash, loadConfig } from '../core/config/load';
import type { EnsembleConfig } from '../core/config/types';
import { prepareData } from '../core/data/prepare';
import type { PreparedData } from '../core/data/types';
import { buildReport, type MemberOutputs } from '../core/ensembles/evaluate';
import { methodModule } from '../core/ensembles/methods';
import type { MemberPlan } from '../core/ensembles/plan';
import { UserError } from '../core/errors';
import { Rng } from '../core/random';
import type { SweepLink } from '../core/runs/manifest';
import { RunStore, type Run } from '../core/runs/store';
import type { TrainerEvent } from '../protocol/events';
import type { Job, JobHooks, JobOutcome } from './job';
import { trainOrLoadMember } from './train-member';

/**
 * Runs a job from start to end: reads the config (or the run being resumed), prepares the
 * data, trains each member that is not yet done, combines and scores them, and keeps it all
 * in the run store. Mistakes in the input throw UserError before any run is created.
 */
export async function runJob(job: Job, hooks: JobHooks): Promise<JobOutcome> {
  const store = new RunStore(job.storeRoot);
  const previous = job.kind === 'resume' ? openForResume(store, job.runId) : undefined;
  const config = previous ? readRunConfig(previous) : await jobConfig(job, hooks);
  const seed =
    previous?.manifest.seed ??
    (job.kind === 'train' ? job.seed : undefined) ??
    config.training.seed;

  const backend = await initBackend(job.backend, hooks.logger);
  const data = await prepareData(
    config.data,
    seed,
    hooks.logger,
    config.configPath,
    config.training.sampleWeightColumn,
  );
  checkTaskCompatibility(config, data.train.task);
  const plans = methodModule(config.ensemble.method).plan({
    config,
    train: data.train,
    rng: new Rng(seed),
  });

  const sweep = job.kind === 'trial' ? job.sweep : undefined;
  const run = previous ?? (await createRun(store, config, backend, seed, plans, sweep));
  if (previous) await previous.claim();
  await run.writeJson('preprocessor.json', data.preprocessor);
  return trainRun(run, config, data, plans, backend, hooks, previous !== undefined);
}

async function jobConfig(job: Job, hooks: JobHooks): Promise<EnsembleConfig> {
  if (job.kind === 'trial') return structuredClone(job.config);
  if (job.kind === 'train') return loadConfig(job.configPath, hooks.logger);
  throw new Error('a resumed job reads its config from its run');
}

async function trainRun(
  run: Run,
  config: EnsembleConfig,
  data: PreparedData,
  plans: MemberPlan[],
  backend: BackendChoice,
  hooks: JobHooks,
  resumed: boolean,
): Promise<JobOutcome> {
  const emitRun = (event: TrainerEvent): void => {
    run.appendEvent(event);
    hooks.emit(event);
  };
  const members = plans.map((p) => ({ name: p.name, kind: p.spec.model }));
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

  try {
    return await trainMembersAndReport(run, config, data, plans, { ...hooks, emitRun });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await run.update({ status: 'failed', error: reason, finishedAt: new Date().toISOString() });
    emitRun({ type: 'run-failed', runId: run.id, time: Date.now(), reason });
    throw error;
  }
}

async function trainMembersAndReport(
  run: Run,
  config: EnsembleConfig,
  data: PreparedData,
  plans: MemberPlan[],
  hooks: JobHooks & { emitRun: (event: TrainerEvent) => void },
): Promise<JobOutcome> {
  const trained: MemberOutputs[] = [];
  const failed: { name: string; kind: string; reason: string }[] = [];

  for (const plan of plans) {
    if (hooks.signal?.aborted) break;
    try {
      const outputs = await trainOrLoadMember(plan, config, data, run, hooks);
      if (outputs.pruned !== undefined) return prune(run, outputs.pruned, hooks);
      if (!outputs.cancelled) trained.push(outputs);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      failed.push({ name: plan.name, kind: plan.spec.model, reason });
      await run.updateMember(plan.name, { status: 'failed', reason });
      hooks.emitRun({
        type: 'member-failed',
        runId: run.id,
        time: Date.now(),
        member: plan.name,
        reason,
      });
    }
  }

  if (hooks.signal?.aborted) return cancel(run, hooks);
  if (trained.length === 0)
    throw new UserError(
      `no member of "${config.name}" trained: ${failed[0]?.reason ?? 'none was planned'}`,
    );
  return finish(run, config, data, trained, failed, hooks);
}

async function finish(
  run: Run,
  config: EnsembleConfig,
  data: PreparedData,
  trained: MemberOutputs[],
  failed: { name: string; kind: string; reason: string }[],
  hooks: JobHooks & { emitRun: (event: TrainerEvent) => void },
): Promise<JobOutcome> {
  const report = buildReport(run.id, config, data, trained, failed);
  await run.writeJson('report.json', report);

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
  });
  hooks.emitRun({
    type: 'run-done',
    runId: run.id,
    time: Date.now(),
    metrics: report.ensemble.metrics,
  });
  return { runId: run.id, status: 'completed' };
}

async function cancel(
  run: Run,
  hooks: JobHooks & { emitRun: (event: TrainerEvent) => void },
): Promise<JobOutcome> {
  const members = run.manifest.members.map((m) =>
    m.status === 'running' ? { ...m, status: 'pending' as const } : m,
  );
  await run.update({ status: 'cancelled', finishedAt: new Date().toISOString(), members });
  hooks.emitRun({ type: 'run-cancelled', runId: run.id, time: Date.now() });
  return { runId: run.id, status: 'cancelled' };
}

async function prune(
  run: Run,
  reason: string,
  hooks: JobHooks & { emitRun: (event: TrainerEvent) => void },
): Promise<JobOutcome> {
  const members = run.manifest.members.map((m) =>
    m.status === 'running' ? { ...m, status: 'pending' as const } : m,
  );
  await run.update({ status: 'pruned', reason, finishedAt: new Date().toISOString(), members });
  hooks.emitRun({ type: 'run-pruned', runId: run.id, time: Date.now(), reason });
  return { runId: run.id, status: 'pruned', reason };
}

async function createRun(
  store: RunStore,
  config: EnsembleConfig,
  backend: BackendChoice,
  seed: number,
  plans: MemberPlan[],
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
    members: plans.map((p) => ({ name: p.name, kind: p.spec.model, status: 'pending' })),
  });
  await run.writeJson('config.json', config);
  return run;
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
  if (!config) throw new UserError(`run "${run.id}" has no config.json; it cannot be resumed`);
  return config;
}
