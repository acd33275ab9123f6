import type { EnsembleConfig } from '../config/types';
import type { Dataset } from '../data/types';
import { UserError } from '../errors';
import { softmaxRows, type Combiner } from './combine';
import { outputWidth, type MemberOutputs } from './evaluate';
import {
  type EnsembleMethodModule,
  type MemberNote,
  type MemberPlan,
  type MethodContext,
  type MethodResult,
} from './plan';
import { combineSplits, trainUnlessFailed } from './planned';

/**
 * Gradient boosting with neural members. The ensemble's raw score starts at a prior (log class
 * shares, or the mean target) and each member, one per round, fits the residual of the
 * ensemble so far with squared error: the one-hot target minus the softmax of the score, or
 * the target minus the prediction. The score then grows by `shrinkage` times the member's
 * output. Rounds stop when the ensemble's validation loss has not improved for `patience`
 * rounds; the rounds after the best one are left out.
 *
 * Resume: finished rounds are loaded, not retrained; each round's residuals follow from the
 * rounds before it, so the sequence goes on where it stopped, and the interrupted round
 * restarts from its first epoch.
 */
export const gradientBoosting: EnsembleMethodModule = {
  members: ({ config }) => config.members.map((s) => ({ name: s.name, kind: s.model })),
  run: runGradientBoosting,
};

/** What one round did, for report.json. */
export interface GradientRound {
  member: string;
  /** The ensemble's loss on the training rows after this round (cross-entropy or MSE). */
  trainLoss: number;
  /** The same on the validation rows, when there are some. */
  validationLoss?: number;
}

/** The running raw scores of the ensemble on each split. */
interface Scores {
  combiner: Extract<Combiner, { kind: 'boosted' }>;
  train: Float32Array;
  validation: Float32Array;
}

async function runGradientBoosting(context: MethodContext): Promise<MethodResult> {
  const { config, data } = context;
  const scores = startScores(config, data.train, data.validation);
  const members: MemberOutputs[] = [];
  const rounds: GradientRound[] = [];

  for (const spec of config.members) {
    const plan = roundPlan(spec, residuals(data.train, scores), context);
    const outputs = await trainUnlessFailed(context, plan);
    if (!outputs) break;
    members.push(outputs);
    addMember(scores, outputs);
    rounds.push(roundLosses(spec.name, scores, data.train, data.validation));
    if (patienceRunOut(rounds, config.ensemble.gradientBoosting.patience)) break;
  }
  return boostingResult(members, rounds, scores.combiner);
}

/** The prior score, and every split's running score set to it. */
function startScores(config: EnsembleConfig, train: Dataset, validation: Dataset): Scores {
  const width = outputWidth(train);
  const classification = train.task === 'classification';
  const prior = classification ? logShares(train) : [mean(train.y)];
  const combiner: Scores['combiner'] = {
    kind: 'boosted',
    width,
    shrinkage: config.ensemble.gradientBoosting.shrinkage,
    prior,
    softmax: classification,
    scale: classification ? 1 : deviation(train.y),
  };
  const fill = (rows: number): Float32Array =>
    Float32Array.from({ length: rows * width }, (_, i) => prior[i % width]);
  return { combiner, train: fill(train.rows), validation: fill(validation.rows) };
}

/**
 * What the next member fits: one-hot target minus softmax(score), or (target − score) divided
 * by the target's deviation, so networks see residuals of unit scale.
 */
export function residuals(train: Dataset, scores: Scores): Float32Array {
  const { width, softmax, scale } = scores.combiner;
  if (!softmax) return Float32Array.from(train.y, (y, r) => (y - scores.train[r]) / scale);

  const probabilities = softmaxRows(scores.train, width);
  return probabilities.map((p, i) => (train.y[Math.floor(i / width)] === i % width ? 1 : 0) - p);
}

function roundPlan(
  spec: EnsembleConfig['members'][number],
  targets: Float32Array,
  context: MethodContext,
): MemberPlan {
  const width = outputWidth(context.data.train);
  const seed = context.rng.fork(spec.name).nextUint32();
  return { name: spec.name, spec, seed, targets: { values: targets, width }, predictTrain: true };
}

/** Adds shrinkage × scale × the member's outputs to the running scores. */
function addMember(scores: Scores, outputs: MemberOutputs): void {
  const step = scores.combiner.shrinkage * scores.combiner.scale;
  const add = (score: Float32Array, output: Float32Array | undefined): void => {
    if (!output) throw new Error('gradient boosting needs every member to predict its rows');
    output.forEach((v, i) => (score[i] += step * v));
  };
  add(scores.train, outputs.train);
  if (scores.validation.length > 0) add(scores.validation, outputs.validation);
}

function roundLosses(
  member: string,
  scores: Scores,
  train: Dataset,
  validation: Dataset,
): GradientRound {
  const trainLoss = ensembleLoss(scores.train, train, scores.combiner);
  if (validation.rows === 0) return { member, trainLoss };
  return {
    member,
    trainLoss,
    validationLoss: ensembleLoss(scores.validation, validation, scores.combiner),
  };
}

/** Cross-entropy of softmax(score) against the labels, or mean squared error. */
export function ensembleLoss(
  score: Float32Array,
  data: Dataset,
  combiner: Scores['combiner'],
): number {
  if (!combiner.softmax)
    return data.y.reduce((s, y, r) => s + (y - score[r]) ** 2, 0) / Math.max(data.rows, 1);

  const { width } = combiner;
  const p = softmaxRows(score, width);
  const total = data.y.reduce((s, y, r) => s - Math.log(Math.max(p[r * width + y], 1e-7)), 0);
  return total / Math.max(data.rows, 1);
}

/** True when the best validation loss is `patience` or more rounds old. */
export function patienceRunOut(rounds: GradientRound[], patience: number): boolean {
  const best = bestRound(rounds);
  return best !== undefined && rounds.length - 1 - best >= patience;
}

/** Index of the round with the lowest validation loss; undefined without validation rows. */
export function bestRound(rounds: GradientRound[]): number | undefined {
  if (rounds.length === 0 || rounds[0].validationLoss === undefined) return undefined;
  let best = 0;
  rounds.forEach((r, i) => {
    if ((r.validationLoss ?? Infinity) < (rounds[best].validationLoss ?? Infinity)) best = i;
  });
  return best;
}

/** Keeps the rounds up to the best validation loss; later ones are reported as pruned. */
function boostingResult(
  trained: MemberOutputs[],
  rounds: GradientRound[],
  combiner: Scores['combiner'],
): MethodResult {
  if (trained.length === 0) throw new UserError('gradient boosting trained no member');
  const keep = (bestRound(rounds) ?? rounds.length - 1) + 1;
  const members = trained.slice(0, keep);
  const notes: Record<string, MemberNote> = {};
  rounds.forEach((r, i) => {
    notes[r.member] = {
      round: i + 1,
      weight: i < keep ? combiner.shrinkage : 0,
      ...(r.validationLoss !== undefined ? { validationScore: r.validationLoss } : {}),
      ...(i < keep ? {} : { role: 'pruned' as const }),
    };
  });
  return {
    members,
    others: trained.slice(keep),
    combiner,
    notes,
    combined: combineSplits(combiner, members),
    details: { rounds, kept: keep },
  };
}

function logShares(train: Dataset): number[] {
  const counts = new Array<number>(train.classes.length).fill(0);
  train.y.forEach((y) => counts[y]++);
  return counts.map((c) => Math.log(Math.max(c, 1) / train.rows));
}

function mean(values: Float32Array): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

function deviation(values: Float32Array): number {
  const m = mean(values);
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / values.length);
  return sd > 0 ? sd : 1;
}
