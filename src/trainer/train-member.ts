import { existsSync } from 'node:fs';
import type { EnsembleConfig } from '../core/config/types';
import type { PreparedData } from '../core/data/types';
import type { MemberOutputs } from '../core/ensembles/evaluate';
import { score } from '../core/ensembles/evaluate';
import { memberView } from '../core/ensembles/member-view';
import type { MemberPlan } from '../core/ensembles/plan';
import type { SourcePosition } from '../core/errors';
import type { FitInput, FitOutput, TrainedModel } from '../core/members/kind';
import { memberKind } from '../core/members/kinds';
import type { Run } from '../core/runs/store';
import { mergeTraining } from '../core/training/train';
import type { JobHooks } from './job';
import type { MemberPool } from './member-pool';

type Hooks = JobHooks & { emitRun: JobHooks['emit']; pool?: MemberPool };

/** A member's outputs, or how its training ended early: cancelled, or pruned with a reason. */
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
  hooks: Hooks,
): Promise<MemberTraining> {
  const view = memberView(plan.data ?? data, plan);
  const dir = run.memberDir(plan.name);
  const saved = run.manifest.members.find((m) => m.name === plan.name);
  const kind = memberKind(plan.spec.model);

  if (saved?.status === 'done' && existsSync(`${dir}/${kind.savedFile}`)) {
    const model = await kind.load(dir);
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
  hooks: Hooks,
): Promise<MemberTraining> {
  const training = plan.training ?? mergeTraining(config.training, plan.spec.training);
  const rows = plan.rows ?? identity(view.train.rows);
  await run.updateMember(plan.name, { status: 'running' });
  hooks.emitRun({
    type: 'member-started',
    runId: run.id,
    time: Date.now(),
    member: plan.name,
    rows: rows.length,
  });

  let pruned: string | undefined;
  const fit = (input: FitInput): Promise<FitOutput> =>
    hooks.pool ? hooks.pool.fit(plan.spec.model, input) : memberKind(plan.spec.model).fit(input);
  const fitted = await fit({
    spec: plan.spec,
    positions: settingPositions(config, plan),
    train: view.train,
    validation: view.validation,
    rows: plan.rows,
    sampleWeights: plan.sampleWeights,
    targets: plan.targets,
    training,
    seed: plan.seed,
    initialWeights: plan.initialWeights,
    branches: plan.branches,
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

  try {
    if (fitted.result.cancelled) return { ...emptyOutputs(plan), cancelled: true };
    if (pruned !== undefined) return { ...emptyOutputs(plan), cancelled: true, pruned };
    const outputs = await finishMember(fitted, plan, config, view, run, rows, hooks);
    return { ...outputs, cancelled: false };
  } finally {
    fitted.model.dispose();
  }
}

async function finishMember(
  { model, result, details: fitDetails }: FitOutput,
  plan: MemberPlan,
  config: EnsembleConfig,
  view: PreparedData,
  run: Run,
  rows: Int32Array,
  hooks: Hooks,
): Promise<MemberOutputs> {
  const details: MemberOutputs['details'] = {
    fitMs: result.fitMs,
    epochsRun: result.epochsRun,
    bestEpoch: result.bestEpoch,
    parameters: model.parameters,
    rows: rows.length,
    distinctRows: new Set(rows).size,
    features: plan.features ? Array.from(plan.features) : undefined,
    ...fitDetails,
  };
  const outputs = outputsOf(model, plan, config, view, details);
  const metrics = plan.targets ? {} : score(view.test, outputs.test).metrics;

  await saveMember(model, plan.name, run, { history: result.history, details, metrics });
  // The rows it trained on, so a reader can check which rows a member never saw.
  if (plan.rows) await run.writeJson(`members/${plan.name}/rows.json`, Array.from(plan.rows));
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

async function saveMember(
  model: TrainedModel,
  name: string,
  run: Run,
  files: { history: unknown; details: unknown; metrics: unknown },
): Promise<void> {
  await model.save(run.memberDir(name));
  await run.writeJson(`members/${name}/history.json`, files.history);
  await run.writeJson(`members/${name}/details.json`, files.details);
  await run.writeJson(`members/${name}/metrics.json`, files.metrics);
}

function outputsOf(
  model: TrainedModel,
  plan: MemberPlan,
  config: EnsembleConfig,
  view: PreparedData,
  details: MemberOutputs['details'],
): MemberOutputs {
  const oob = config.ensemble.method === 'bagging' && config.ensemble.bagging.oobScore;
  return {
    plan,
    kind: plan.spec.model,
    test: model.predict(view.test),
    validation: view.validation.rows > 0 ? model.predict(view.validation) : undefined,
    train: oob || plan.predictTrain ? model.predict(view.train) : undefined,
    weights: plan.keepWeights ? model.weights?.() : undefined,
    details,
  };
}

/** Where the member's own settings are in the config file, for the errors of its fit. */
function settingPositions(config: EnsembleConfig, plan: MemberPlan): FitInput['positions'] {
  const index = plan.spec.source?.index;
  if (index === undefined) return undefined;
  const at = (key: string): SourcePosition => {
    const p = config.positions?.[`members[${index}].${key}`];
    return p
      ? { file: config.configPath, line: p.line, column: p.column }
      : { file: config.configPath };
  };
  return { model: at('model'), module: at('module'), path: at('path') };
}

function emptyOutputs(plan: MemberPlan): MemberOutputs {
  return { plan, kind: plan.spec.model, test: new Float32Array(0), details: {} };
}

function identity(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}
