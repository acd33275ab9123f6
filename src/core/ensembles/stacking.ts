import type { EnsembleConfig, MemberSpec } from '../config/types';
import { assignFolds } from '../data/split';
import type { Dataset, PreparedData } from '../data/types';
import { UserError } from '../errors';
import type { Combiner, PredictionScale } from './combine';
import { outputWidth, type MemberOutputs } from './evaluate';
import {
  type EnsembleMethodModule,
  type MemberNote,
  type MemberPlan,
  type MethodContext,
  type MethodResult,
  type PlanContext,
} from './plan';
import { trainEachOrFail } from './planned';
import { stackedDataset } from './stacked-features';

/**
 * Stacking on out-of-fold predictions. The training rows are dealt into `folds` folds; for
 * each member of a level and each fold, a copy of the member trains on the other folds and
 * predicts the fold it did not see, so every training row gets a prediction from a model that
 * never trained on it. The members are then refitted on all training rows. The next level
 * (members with a higher `level`, and at the top the meta-learner) trains on the out-of-fold
 * predictions, optionally beside the original features, and reads the refitted members'
 * predictions on new rows.
 *
 * Resume: every fold model, refit and the meta-learner is a member of its own, so finished
 * ones are loaded and only the missing ones train.
 */
export const stacking: EnsembleMethodModule = {
  members: (context) => stackPlan(context).flatMap((level) => level.flatMap(levelMembers)),
  // A level's fold models and refits depend only on the level below.
  trainsAtOnce: true,
  run: runStacking,
};

/** One stacked member: its spec and the names of its fold models and its refit. */
interface StackedMember {
  spec: MemberSpec;
  folds: string[];
}

/** The members of every level, lowest first, then the meta-learner alone. */
function stackPlan({ config }: Pick<PlanContext, 'config'>): StackedMember[][] {
  const { folds } = config.ensemble.stacking;
  const levels = [...new Set(config.members.map((m) => m.level))].sort((a, b) => a - b);
  const stacked = (spec: MemberSpec): StackedMember => ({
    spec,
    folds: Array.from({ length: folds }, (_, f) => `${spec.name}.fold-${f + 1}`),
  });
  const below = levels.map((l) => config.members.filter((m) => m.level === l).map(stacked));
  return [...below, [{ spec: config.ensemble.stacking.meta, folds: [] }]];
}

function levelMembers(member: StackedMember): { name: string; kind: string }[] {
  const kind = member.spec.model;
  return [...member.folds.map((name) => ({ name, kind })), { name: member.spec.name, kind }];
}

async function runStacking(context: MethodContext): Promise<MethodResult> {
  const { config, data } = context;
  const foldOf = assignFolds(
    data.train.rows,
    config.ensemble.stacking.folds,
    context.rng.fork('folds'),
    data.train.task === 'classification' ? data.train.y : undefined,
  );
  const plan = stackPlan(context);
  const trained: LevelOutputs[] = [];
  let input = data;

  for (const level of plan.slice(0, -1)) {
    const outputs = await trainLevel(context, level, input, foldOf);
    trained.push(outputs);
    input = nextInput(data, outputs, config);
  }
  const meta = await context.trainMember(memberPlan(plan.at(-1)![0].spec, input, context));
  const scale = predictionScale(data.train);
  return stackingResult(config, trained, meta, { foldOf, width: outputWidth(data.train), scale });
}

/** A level's trained members: fold models, out-of-fold predictions and refits. */
interface StackedOutputs {
  member: StackedMember;
  folds: MemberOutputs[];
  /** Per training row, the prediction of the fold model that did not train on it. */
  outOfFold: Float32Array;
  refit: MemberOutputs;
}
type LevelOutputs = StackedOutputs[];

/**
 * Trains every member of a level on each fold's complement, and on all rows, up to
 * `context.parallel` models at once: they depend only on the level below. A member with a
 * failed fold model or refit leaves its level (the run has recorded why).
 */
async function trainLevel(
  context: MethodContext,
  level: StackedMember[],
  input: PreparedData,
  foldOf: Int32Array,
): Promise<LevelOutputs> {
  // Planned in the order they used to train one after another, so each keeps its seed.
  const plans = level.map((member) => stackedPlans(context, member, input, foldOf));
  const trained = await trainEachOrFail(context, plans.flat());

  const outputs: LevelOutputs = [];
  let at = 0;
  for (const member of level) {
    const own = trained.slice(at, (at += member.folds.length + 1));
    if (own.every((o) => o !== undefined)) outputs.push(stackedOutputs(member, own, foldOf, input));
  }
  if (outputs.length === 0)
    throw new UserError(`no member of stacking level ${level[0]?.spec.level ?? 1} trained`);
  return outputs;
}

/** One member's fold models (each trained without its fold), then its refit on all rows. */
function stackedPlans(
  context: MethodContext,
  member: StackedMember,
  input: PreparedData,
  foldOf: Int32Array,
): MemberPlan[] {
  const folds = member.folds.map((name, f) => {
    const rows = Int32Array.from(foldOf.keys()).filter((r) => foldOf[r] !== f);
    return { ...memberPlan(member.spec, input, context, { name, rows }), predictTrain: true };
  });
  return [...folds, memberPlan(member.spec, input, context)];
}

/** A member's trained fold models and refit, with its out-of-fold predictions. */
function stackedOutputs(
  member: StackedMember,
  trained: MemberOutputs[],
  foldOf: Int32Array,
  input: PreparedData,
): StackedOutputs {
  const folds = trained.slice(0, -1);
  const refit = trained[trained.length - 1];
  return { member, folds, refit, outOfFold: outOfFold(folds, foldOf, input.train) };
}

/** A plan named `name` (the refit's is the member's own name), seeded by that name. */
function memberPlan(
  spec: MemberSpec,
  input: PreparedData,
  context: MethodContext,
  { name = spec.name, rows }: { name?: string; rows?: Int32Array } = {},
): MemberPlan {
  const seed = context.rng.fork(name).nextUint32();
  const own = input === context.data ? {} : { data: input };
  return { name, spec, seed, ...(rows ? { rows } : {}), ...own };
}

/** Row r's prediction from the model of fold foldOf[r], the one that left r out. */
export function outOfFold(
  folds: MemberOutputs[],
  foldOf: Int32Array,
  train: Dataset,
): Float32Array {
  const width = outputWidth(train);
  const result = new Float32Array(train.rows * width);
  foldOf.forEach((f, r) => {
    const predicted = folds[f].train;
    if (!predicted) throw new Error('stacking needs each fold model to predict its fold');
    result.set(predicted.subarray(r * width, (r + 1) * width), r * width);
  });
  return result;
}

/** The next level's rows: out-of-fold predictions to train on, refits' predictions else. */
function nextInput(data: PreparedData, level: LevelOutputs, config: EnsembleConfig): PreparedData {
  const width = outputWidth(data.train);
  const { passthrough } = config.ensemble.stacking;
  const scale = predictionScale(data.train);
  const side = (base: Dataset, pick: (o: StackedOutputs) => Float32Array | undefined): Dataset =>
    stackedDataset(
      base,
      level.map((o) => ({ name: o.member.spec.name, outputs: pick(o) ?? new Float32Array(0) })),
      width,
      passthrough,
      scale,
    );
  return {
    ...data,
    train: side(data.train, (o) => o.outOfFold),
    validation: side(data.validation, (o) => o.refit.validation),
    test: side(data.test, (o) => o.refit.test),
  };
}

/**
 * Regression predictions are on the target's scale (the diabetes progression is about
 * 150 ± 77); a level reads them standardized by the training target, as it reads features.
 */
export function predictionScale(train: Dataset): PredictionScale | undefined {
  if (train.task !== 'regression') return undefined;
  const center = train.y.reduce((s, v) => s + v, 0) / train.rows;
  const variance = train.y.reduce((s, v) => s + (v - center) ** 2, 0) / train.rows;
  return { center, spread: Math.sqrt(variance) || 1 };
}

function stackingResult(
  config: EnsembleConfig,
  levels: LevelOutputs[],
  meta: MemberOutputs,
  { foldOf, width, scale }: { foldOf: Int32Array; width: number; scale?: PredictionScale },
): MethodResult {
  const combiner: Combiner = {
    kind: 'stacked',
    width,
    levels: levels.map((level) => level.map((o) => o.refit.plan.name)),
    meta: meta.plan.name,
    passthrough: config.ensemble.stacking.passthrough,
    ...(scale ? { scale } : {}),
  };
  const foldModels = Object.fromEntries(
    levels.flat().map((o) => [o.member.spec.name, o.folds.map((m) => m.plan.name)]),
  );
  const higher = levels.slice(1).flatMap((level) => level.map((o) => o.refit));

  return {
    members: levels[0].map((o) => o.refit),
    others: [...levels.flat().flatMap((o) => o.folds), ...higher, meta],
    combined: { test: meta.test, validation: meta.validation },
    combiner,
    notes: stackingNotes(levels, meta),
    details: { folds: config.ensemble.stacking.folds, foldOf: Array.from(foldOf), foldModels },
  };
}

/** Each member's role: a level-1 refit, a fold model with its fold, or a meta-learner. */
function stackingNotes(levels: LevelOutputs[], meta: MemberOutputs): Record<string, MemberNote> {
  const notes: Record<string, MemberNote> = { [meta.plan.name]: { role: 'meta' } };
  levels.forEach((level, l) =>
    level.forEach((o) => {
      notes[o.refit.plan.name] = { role: l === 0 ? 'member' : 'meta' };
      o.folds.forEach((m, f) => (notes[m.plan.name] = { role: 'fold', fold: f + 1 }));
    }),
  );
  return notes;
}
