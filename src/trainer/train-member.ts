import type { LayersModel } from '@tensorflow/tfjs-layers';
import { existsSync } from 'node:fs';
import type { EnsembleConfig } from '../core/config/types';
import { subsetDataset } from '../core/data/prepare';
import type { Dataset, PreparedData } from '../core/data/types';
import type { MemberOutputs } from '../core/ensembles/evaluate';
import { outputWidth, score } from '../core/ensembles/evaluate';
import type { MemberPlan } from '../core/ensembles/plan';
import { buildMember, parameterCount } from '../core/members/registry';
import { loadModel, saveModel } from '../core/members/persist';
import type { Run } from '../core/runs/store';
import { foldTargetScale, standardizeTarget, targetScale } from '../core/training/target-scaling';
import { mergeTraining, predictProba, trainModel, type TrainResult } from '../core/training/train';
import type { JobHooks } from './job';

/** The data one member sees: all splits cut to its feature subset, if it has one. */
export function memberView(data: PreparedData, plan: MemberPlan): PreparedData {
  if (!plan.features) return data;
  const cut = (ds: Dataset): Dataset => subsetDataset(ds, identity(ds.rows), plan.features);
  return {
    ...data,
    train: cut(data.train),
    validation: cut(data.validation),
    test: cut(data.test),
  };
}

/** A member's outputs, or why it has none: the run was cancelled, or pruned (the reason). */
type MemberTraining = MemberOutputs & { cancelled: boolean; pruned?: string };

/**
 * Trains one member (or loads it, when a resumed run already finished it), saves its model,
 * curves and metrics into the run, and returns its outputs on every split.
 */
export async function trainOrLoadMember(
  plan: MemberPlan,
  config: EnsembleConfig,
  data: PreparedData,
  run: Run,
  hooks: JobHooks & { emitRun: JobHooks['emit'] },
): Promise<MemberTraining> {
  const view = memberView(data, plan);
  const dir = run.memberDir(plan.name);
  const saved = run.manifest.members.find((m) => m.name === plan.name);

  if (saved?.status === 'done' && existsSync(`${dir}/model.json`)) {
    const model = await loadModel(dir);
    const details =
      run.readJson<MemberOutputs['details']>(`members/${plan.name}/details.json`) ?? {};
    try {
      return { ...outputsOf(model, plan, config, view, details), cancelled: false };
    } finally {
      model.dispose();
    }
  }

  return trainFresh(plan, config, view, run, hooks);
}

async function trainFresh(
  plan: MemberPlan,
  config: EnsembleConfig,
  view: PreparedData,
  run: Run,
  hooks: JobHooks & { emitRun: JobHooks['emit'] },
): Promise<MemberTraining> {
  const model = buildMember({
    spec: plan.spec,
    inputShape: view.train.inputShape,
    outputUnits: outputWidth(view.train),
    task: view.train.task,
    seed: plan.seed,
  });

  try {
    return await fitAndSave(model, plan, config, view, run, hooks);
  } finally {
    model.dispose();
  }
}

async function fitAndSave(
  model: LayersModel,
  plan: MemberPlan,
  config: EnsembleConfig,
  view: PreparedData,
  run: Run,
  hooks: JobHooks & { emitRun: JobHooks['emit'] },
): Promise<MemberTraining> {
  const training = mergeTraining(config.training, plan.spec.training);
  const rows = plan.rows ?? identity(view.train.rows);
  await run.updateMember(plan.name, { status: 'running' });
  hooks.emitRun({
    type: 'member-started',
    runId: run.id,
    time: Date.now(),
    member: plan.name,
    rows: rows.length,
  });

  const scale = view.train.task === 'regression' ? targetScale(view.train, plan.rows) : undefined;
  const scaled = (ds: Dataset): Dataset => (scale ? standardizeTarget(ds, scale) : ds);
  let pruned: string | undefined;
  const result = await trainModel({
    model,
    train: scaled(view.train),
    validation: view.validation.rows > 0 ? scaled(view.validation) : undefined,
    config: training,
    task: view.train.task,
    rows: plan.rows,
    sampleWeights:
      plan.rows && view.train.sampleWeights
        ? Float32Array.from(plan.rows, (r) => view.train.sampleWeights![r])
        : undefined,
    seed: plan.seed,
    logger: hooks.logger,
    shouldStop: () => hooks.signal?.aborted ?? false,
    onEpoch: (log) => {
      hooks.emitRun({
        type: 'member-epoch',
        runId: run.id,
        time: Date.now(),
        member: plan.name,
        epochs: training.epochs,
        ...log,
      });
      pruned = hooks.onEpoch?.({ member: plan.name, ...log })?.stop;
      return pruned === undefined ? undefined : 'stop';
    },
  });

  if (result.cancelled) return { ...emptyOutputs(plan), cancelled: true };
  if (pruned !== undefined) return { ...emptyOutputs(plan), cancelled: true, pruned };
  if (scale && !foldTargetScale(model, scale))
    throw new Error(`member "${plan.name}" has no linear output layer to carry the target's scale`);
  return {
    ...(await finishMember(model, plan, config, view, run, result, rows, hooks)),
    cancelled: false,
  };
}

async function finishMember(
  model: LayersModel,
  plan: MemberPlan,
  config: EnsembleConfig,
  view: PreparedData,
  run: Run,
  result: TrainResult,
  rows: Int32Array,
  hooks: JobHooks & { emitRun: JobHooks['emit'] },
): Promise<MemberOutputs> {
  const details: MemberOutputs['details'] = {
    fitMs: result.fitMs,
    epochsRun: result.epochsRun,
    bestEpoch: result.bestEpoch,
    parameters: parameterCount(model),
    rows: rows.length,
    distinctRows: new Set(rows).size,
    features: plan.features ? Array.from(plan.features) : undefined,
  };
  const outputs = outputsOf(model, plan, config, view, details);
  const metrics = score(view.test, outputs.test).metrics;

  const dir = run.memberDir(plan.name);
  await saveModel(model, dir);
  await run.writeJson(`members/${plan.name}/history.json`, result.history);
  await run.writeJson(`members/${plan.name}/details.json`, details);
  await run.writeJson(`members/${plan.name}/metrics.json`, metrics);
  await run.updateMember(plan.name, {
    status: 'done',
    fitMs: result.fitMs,
    epochsRun: result.epochsRun,
  });
  hooks.emitRun({
    type: 'member-done',
    runId: run.id,
    time: Date.now(),
    member: plan.name,
    metrics,
    fitMs: result.fitMs,
    epochsRun: result.epochsRun,
  });
  return outputs;
}

function outputsOf(
  model: LayersModel,
  plan: MemberPlan,
  config: EnsembleConfig,
  view: PreparedData,
  details: MemberOutputs['details'],
): MemberOutputs {
  const wantsTrain = config.ensemble.method === 'bagging' && config.ensemble.bagging.oobScore;
  const outputs: MemberOutputs = {
    plan,
    kind: plan.spec.model,
    test: predictProba(model, view.test),
    validation: view.validation.rows > 0 ? predictProba(model, view.validation) : undefined,
    train: wantsTrain ? predictProba(model, view.train) : undefined,
    details,
  };
  return outputs;
}

function emptyOutputs(plan: MemberPlan): MemberOutputs {
  return { plan, kind: plan.spec.model, test: new Float32Array(0), details: {} };
}

function identity(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}
