import * as tf from '@tensorflow/tfjs-core';
import { performance } from 'node:perf_hooks';
import type { Dataset } from '../data/types';
import { Rng } from '../random';
import {
  featureBatch,
  givenTargetBatch,
  planRows,
  targetBatch,
  weightBatch,
  type RowPlan,
} from './batches';
import { BestEpochTracker } from './best-epoch';
import { DenseStep, type DenseBatch } from './dense-step';
import { computeClassWeights } from './class-weights';
import { stepObjective } from './adversarial';
import { makeOptimizer, setLearningRate } from './optimizer';
import { evaluate, outputUnits } from './predict';
import { learningRateAt } from './schedule';
import type { EpochLog, TrainInput, TrainResult } from './types';

export { computeClassWeights } from './class-weights';
export { mergeTraining } from './merge';
export { evaluate, predictProba, type Evaluation } from './predict';
export type { EpochLog, TrainInput, TrainResult } from './types';

/** What stays fixed through one member's training. */
interface Session {
  input: TrainInput;
  plan: RowPlan;
  optimizer: tf.Optimizer;
  variables: tf.Variable[];
  units: number;
  tracker: BestEpochTracker;
  validation?: Dataset;
  /** The written-out step, when the network is one it applies to. */
  dense?: DenseStep;
}

/** How one epoch ended. */
type EpochOutcome = { kind: 'done'; loss: number } | { kind: 'cancelled' };

/**
 * Trains a member with a hand-written loop rather than `model.fit`, whose shuffling draws
 * from Math.random: here every epoch's row order comes from the seed, so the same seed on
 * the same backend gives the same losses. The model is trained in place.
 */
export async function trainModel(input: TrainInput): Promise<TrainResult> {
  const started = performance.now();
  const session = openSession(input);

  try {
    const result = await runEpochs(session);
    return { ...result, fitMs: performance.now() - started };
  } finally {
    session.optimizer.dispose();
    session.tracker.dispose();
  }
}

function openSession(input: TrainInput): Session {
  const { train, rows, config } = input;
  const classWeights = computeClassWeights(train, rows, config.classWeights);
  const validation = input.validation && input.validation.rows > 0 ? input.validation : undefined;
  if (config.earlyStopping && !validation) {
    input.logger.log('warn', 'early stopping needs validation rows; training all epochs');
  }

  return {
    input,
    plan: planRows(train, rows, input.sampleWeights, classWeights),
    optimizer: makeOptimizer(config),
    // Only this model's weights: other members may be training in the same process.
    variables: input.model.trainableWeights.map((weight) => weight.read() as tf.Variable),
    units: outputUnits(input.model),
    tracker: new BestEpochTracker(config.earlyStopping, input.task),
    validation,
    dense: chooseDenseStep(input),
  };
}

/** The written-out dense step unless the member needs autodiff (or the caller asks for it). */
function chooseDenseStep(input: TrainInput): DenseStep | undefined {
  const step = denseStepOrReason(input);
  if (step instanceof DenseStep) {
    input.logger.log('debug', 'training step: written-out dense gradients');
    return step;
  }
  input.logger.log('debug', `training step: TF.js autodiff (${step})`);
  return undefined;
}

function denseStepOrReason(input: TrainInput): DenseStep | string {
  if (input.plainStep) return 'asked for';
  if (input.config.adversarial?.epsilon) return 'adversarial training differentiates the inputs';
  return DenseStep.compile(input.model, input.task);
}

async function runEpochs(session: Session): Promise<Omit<TrainResult, 'fitMs'>> {
  const { input, tracker } = session;
  const history: EpochLog[] = [];
  let stoppedEarly = false;
  let stopRequested = false;
  let cancelled = false;

  for (let epoch = 0; epoch < input.config.epochs; epoch++) {
    const log = await runEpoch(session, epoch);
    if (!log) {
      cancelled = true;
      break;
    }
    history.push(log);
    if (input.onEpoch?.(log) === 'stop') {
      stopRequested = true;
      break;
    }
    if (tracker.update(log, input.model) || !Number.isFinite(log.loss)) {
      stoppedEarly = true;
      break;
    }
  }

  finish(session, history, stoppedEarly);
  const bestEpoch = session.validation ? tracker.bestEpoch : history.length;
  return { history, bestEpoch, epochsRun: history.length, stoppedEarly, stopRequested, cancelled };
}

/** One epoch: a seeded shuffle, a pass over the batches, then validation metrics. */
async function runEpoch(session: Session, epoch: number): Promise<EpochLog | undefined> {
  const { input } = session;
  const learningRate = learningRateAt(
    input.config.schedule,
    input.config.learningRate,
    epoch,
    input.config.epochs,
  );
  setLearningRate(session.optimizer, learningRate);

  const outcome = await trainBatches(session, epochOrder(session.plan.count, input.seed, epoch));
  if (outcome.kind === 'cancelled') return undefined;

  const log: EpochLog = { epoch: epoch + 1, loss: outcome.loss, learningRate };
  if (session.validation) {
    const metrics = evaluate(input.model, session.validation);
    log.valLoss = metrics.loss;
    if (metrics.accuracy !== undefined) log.valAccuracy = metrics.accuracy;
  }
  input.logger.log('debug', describeEpoch(log, input.config.epochs));
  return log;
}

async function trainBatches(session: Session, order: Int32Array): Promise<EpochOutcome> {
  const { batchSize } = session.input.config;
  let total = 0;

  for (let start = 0; start < order.length; start += batchSize) {
    if (session.input.shouldStop?.()) return { kind: 'cancelled' };
    const positions = order.subarray(start, start + batchSize);
    total += trainStep(session, positions) * positions.length;
    session.input.afterStep?.();
    // Let messages (a cancel request, say) arrive between batches.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { kind: 'done', loss: total / order.length };
}

/** One optimizer step on the rows at `positions`; returns the batch objective. */
function trainStep(session: Session, positions: Int32Array): number {
  const batch = tf.tidy(() => batchAt(session, positions));
  try {
    return session.dense
      ? session.dense.run(session.optimizer, batch)
      : autodiffStep(session, batch);
  } finally {
    tf.dispose([batch.x, batch.target, ...(batch.weights ? [batch.weights] : [])]);
  }
}

/** The inputs, targets and loss weights of the rows at `positions`. */
function batchAt(session: Session, positions: Int32Array): DenseBatch {
  const { input, plan } = session;
  return {
    x: featureBatch(input.train, plan, positions),
    target: input.targets
      ? givenTargetBatch(input.targets, plan, positions)
      : targetBatch(input.train, plan, positions, session.units),
    weights: weightBatch(plan, positions),
  };
}

/** A step through the gradient tape: any network, adversarial training included. */
function autodiffStep(session: Session, batch: DenseBatch): number {
  const { input } = session;
  const loss = tf.tidy(() => {
    const objective = stepObjective(
      { ...batch, model: input.model, task: input.task },
      input.config.adversarial?.epsilon,
    );
    const value = session.optimizer.minimize(objective, true, session.variables);
    if (!value) throw new Error('the optimizer returned no loss');
    return value;
  });

  const value = loss.dataSync()[0];
  loss.dispose();
  return value;
}

/** Positions 0..count-1 in an order that depends only on the seed and the epoch. */
function epochOrder(count: number, seed: number, epoch: number): Int32Array {
  const order = Int32Array.from({ length: count }, (_, i) => i);
  return new Rng((seed + Math.imul(epoch + 1, 0x9e3779b9)) >>> 0).shuffle(order);
}

function finish(session: Session, history: EpochLog[], stoppedEarly: boolean): void {
  const { input, tracker } = session;
  const last = history.at(-1);
  if (last && !Number.isFinite(last.loss)) {
    input.logger.log(
      'warn',
      `loss is ${last.loss} at epoch ${last.epoch}; lower the learning rate`,
    );
  }
  if (tracker.restore(input.model)) {
    input.logger.log('debug', `restored the weights of epoch ${tracker.bestEpoch}`);
  } else if (stoppedEarly) {
    input.logger.log('debug', `stopped after epoch ${last?.epoch ?? 0}`);
  }
}

function describeEpoch(log: EpochLog, epochs: number): string {
  const parts = [`epoch ${log.epoch}/${epochs}`, `loss ${log.loss.toFixed(4)}`];
  if (log.valLoss !== undefined) parts.push(`val loss ${log.valLoss.toFixed(4)}`);
  if (log.valAccuracy !== undefined) parts.push(`val accuracy ${log.valAccuracy.toFixed(4)}`);
  parts.push(`lr ${log.learningRate.toPrecision(3)}`);
  return parts.join(', ');
}
