import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Task } from '../config/types';
import { SeededDropout } from '../members/seeded-dropout';
import { PROBABILITY_EPSILON } from './loss';

/** Activations whose derivative the dense step writes out from the layer's output alone. */
type DenseActivation = 'relu' | 'linear' | 'tanh' | 'sigmoid' | 'softmax';

/** One dense layer as the fast step sees it: its variables and its penalty. */
interface DenseStage {
  kind: 'dense';
  kernel: tf.Variable;
  bias?: tf.Variable;
  activation: DenseActivation;
  l1: number;
  l2: number;
}

/** A seeded dropout layer; its masks come from the layer, so they match the autodiff path. */
interface DropoutStage {
  kind: 'dropout';
  layer: SeededDropout;
}

type Stage = DenseStage | DropoutStage;

/** One batch for the fast step: inputs, targets, optional row weights. */
// A type rather than an interface, so that tf.tidy accepts it as a tensor container.
export type DenseBatch = {
  x: tf.Tensor;
  target: tf.Tensor2D;
  weights: tf.Tensor1D | undefined;
};

/**
 * A training step for plain dense networks (the `mlp` and `linear` members) with the backward
 * pass written out rather than recorded on TF.js's gradient tape: the forward pass keeps each
 * layer's output, and the gradients are a few matrix products per layer, with the softmax and
 * cross-entropy (or squared error) folded into one `p - y`. The tape, tfjs-layers' call
 * machinery and the general-purpose gradients of each op are skipped: on the wasm backend a
 * step of a 64-128-64-10 network takes half the CPU time of the autodiff path (1.0 ms against
 * 2.1 ms, measured), one of 784-256-128-10 a tenth less (8.3 ms against 9.2 ms), where the
 * matrix products themselves dominate. The optimizer is the member's own, so its state and
 * arithmetic are those of the autodiff path; dense-step.test.ts checks that both paths give
 * the same weights.
 */
export class DenseStep {
  private constructor(
    private readonly stages: Stage[],
    private readonly task: Task,
    private readonly variables: tf.Variable[],
  ) {}

  /**
   * The fast step for a model, or the reason it does not apply (a layer it cannot
   * differentiate by hand, say); the caller then trains through autodiff.
   */
  static compile(model: LayersModel, task: Task): DenseStep | string {
    if (!(model instanceof tfl.Sequential)) return 'the network is not a plain sequence of layers';
    const stages: Stage[] = [];
    for (const layer of model.layers) {
      const stage = stageOf(layer);
      if (typeof stage === 'string') return stage;
      if (stage) stages.push(stage);
    }

    const problem = outputProblem(stages, task);
    if (problem) return problem;
    const dense = stages.filter((s): s is DenseStage => s.kind === 'dense');
    const variables = dense.flatMap((s) => (s.bias ? [s.kernel, s.bias] : [s.kernel]));
    return new DenseStep(stages, task, variables);
  }

  /**
   * One optimizer step on a batch; returns the batch objective (the weighted mean loss plus
   * the kernels' penalties), as `optimizer.minimize` would.
   */
  run(optimizer: tf.Optimizer, batch: DenseBatch): number {
    const { loss, gradients } = tf.tidy(() => this.gradients(batch));
    // In the variables' order: Adam keeps its moments by position in this list.
    optimizer.applyGradients(
      this.variables.map((v, i) => ({ name: v.name, tensor: gradients[i] })),
    );
    tf.dispose(gradients);

    const value = loss.dataSync()[0];
    loss.dispose();
    return value;
  }

  private gradients(batch: DenseBatch): { loss: tf.Scalar; gradients: tf.Tensor[] } {
    const rows = batch.x.shape[0];
    const input = tf.reshape(batch.x, [rows, -1]) as tf.Tensor2D;
    const trace = this.forward(input);
    const output = trace.at(-1)!.value;
    const rowWeights = normalizedWeights(batch.weights, rows);

    const loss = tf.add(dataLoss(output, batch.target, rowWeights, this.task), this.penalty());
    const gradients = this.backward(
      trace,
      outputGradient(output, batch.target, rowWeights, this.task),
    );
    return { loss: loss as tf.Scalar, gradients };
  }

  /** Each stage's input and output, in order, from the flat batch. */
  private forward(input: tf.Tensor2D): Trace[] {
    const trace: Trace[] = [];
    let value = input;
    for (const stage of this.stages) {
      const entry =
        stage.kind === 'dense' ? denseForward(stage, value) : dropoutForward(stage, value);
      trace.push(entry);
      value = entry.value;
    }
    return trace;
  }

  /**
   * The gradient of every variable (in `variables` order), walking the trace backwards from
   * the output's gradient.
   */
  private backward(trace: Trace[], outputGrad: tf.Tensor2D): tf.Tensor[] {
    const byName = new Map<string, tf.Tensor>();
    let grad = outputGrad;
    const first = trace.findIndex((t) => t.stage.kind === 'dense');

    for (let i = trace.length - 1; i >= first; i--) {
      const { stage, input, value, multiplier } = trace[i];
      if (stage.kind === 'dropout') {
        grad = tf.mul(grad, multiplier!);
        continue;
      }
      // The softmax's derivative is already in the output gradient (p - y).
      const z = stage.activation === 'softmax' ? grad : throughActivation(grad, value, stage);
      byName.set(stage.kernel.name, kernelGradient(stage, input, z));
      if (stage.bias) byName.set(stage.bias.name, tf.sum(z, 0));
      if (i > first) grad = tf.matMul(z, stage.kernel, false, true);
    }
    return this.variables.map((v) => byName.get(v.name)!);
  }

  /** The kernels' L1/L2 penalties, as tfjs-layers adds them to the loss. */
  private penalty(): tf.Scalar {
    let total: tf.Scalar = tf.scalar(0);
    for (const stage of this.stages) {
      if (stage.kind !== 'dense') continue;
      if (stage.l1 > 0) total = tf.add(total, tf.mul(stage.l1, tf.sum(tf.abs(stage.kernel))));
      if (stage.l2 > 0) total = tf.add(total, tf.mul(stage.l2, tf.sum(tf.square(stage.kernel))));
    }
    return total;
  }
}

/** The stage for one layer, nothing for a layer that only reshapes, or why it cannot be one. */
function stageOf(layer: tfl.layers.Layer): Stage | undefined | string {
  const className = layer.getClassName();
  if (className === 'InputLayer' || className === 'Flatten') return undefined;
  if (layer instanceof SeededDropout) {
    return layer.rate > 0 ? { kind: 'dropout', layer } : undefined;
  }
  if (className !== 'Dense')
    return `layer "${layer.name}" (${className}) has no written-out gradient`;
  if (!layer.trainable) return `layer "${layer.name}" is frozen`;
  return denseStage(layer);
}

const ACTIVATIONS: readonly string[] = ['relu', 'linear', 'tanh', 'sigmoid', 'softmax'];

function denseStage(layer: tfl.layers.Layer): DenseStage | string {
  const config = layer.getConfig();
  const activation = String(config['activation']);
  if (!ACTIVATIONS.includes(activation)) {
    return `layer "${layer.name}" uses ${activation}, which has no written-out derivative`;
  }
  if (config['activityRegularizer'] || config['biasRegularizer'] || config['kernelConstraint']) {
    return `layer "${layer.name}" has a regularizer or constraint beyond kernel L1/L2`;
  }
  const penalty = kernelPenalty(config['kernelRegularizer']);
  if (typeof penalty === 'string') return `layer "${layer.name}" ${penalty}`;

  const [kernel, bias] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  return { kind: 'dense', kernel, bias, activation: activation as DenseActivation, ...penalty };
}

/** The L1/L2 factors of a serialized kernel regularizer. */
function kernelPenalty(serialized: unknown): { l1: number; l2: number } | string {
  if (!serialized) return { l1: 0, l2: 0 };
  const { className, config } = serialized as { className: string; config: Record<string, number> };
  if (className !== 'L1L2') return `has a ${className} regularizer`;
  return { l1: config['l1'] ?? 0, l2: config['l2'] ?? 0 };
}

/** Why the dense layers cannot end the network as the task's loss expects, if they cannot. */
function outputProblem(stages: Stage[], task: Task): string | undefined {
  const last = stages.at(-1);
  if (!last || last.kind !== 'dense') return 'the network does not end in a dense layer';
  const expected = task === 'classification' ? 'softmax' : 'linear';
  if (last.activation !== expected)
    return `its output layer is ${last.activation}, not ${expected}`;
  const hidden = stages.slice(0, -1);
  if (hidden.some((s) => s.kind === 'dense' && s.activation === 'softmax')) {
    return 'a hidden layer uses softmax';
  }
  return undefined;
}

/** What the forward pass kept of one stage. */
interface Trace {
  stage: Stage;
  input: tf.Tensor2D;
  value: tf.Tensor2D;
  /** Dropout's scaled keep mask. */
  multiplier?: tf.Tensor2D;
}

function denseForward(stage: DenseStage, input: tf.Tensor2D): Trace {
  // Not tf.fused.matMul: its wasm kernel took 3.7 ms for the 128x784 by 784x256 product that
  // BatchMatMul, a bias add and a relu do in 2.3 ms (measured).
  const product: tf.Tensor2D = tf.matMul(input, stage.kernel as tf.Tensor2D);
  const z = stage.bias ? tf.add<tf.Tensor2D>(product, stage.bias) : product;
  return { stage, input, value: activate(z, stage.activation) };
}

function dropoutForward(stage: DropoutStage, input: tf.Tensor2D): Trace {
  const multiplier = stage.layer.trainingMultiplier(input.shape) as tf.Tensor2D;
  return { stage, input, value: tf.mul(input, multiplier), multiplier };
}

function activate(z: tf.Tensor2D, activation: DenseActivation): tf.Tensor2D {
  if (activation === 'linear') return z;
  if (activation === 'relu') return tf.relu(z);
  if (activation === 'tanh') return tf.tanh(z);
  if (activation === 'sigmoid') return tf.sigmoid(z);
  return tf.softmax(z);
}

/** The gradient with respect to a layer's pre-activation, from its output's gradient. */
function throughActivation(grad: tf.Tensor2D, out: tf.Tensor2D, stage: DenseStage): tf.Tensor2D {
  switch (stage.activation) {
    case 'relu':
      return tf.mul(grad, tf.step(out));
    case 'tanh':
      return tf.mul(grad, tf.sub(1, tf.square(out)));
    case 'sigmoid':
      return tf.mul(grad, tf.mul(out, tf.sub(1, out)));
    default:
      return grad;
  }
}

/** xᵀ·dz, plus the penalty's gradient: l1·sign(W) + 2·l2·W. */
function kernelGradient(stage: DenseStage, input: tf.Tensor2D, z: tf.Tensor2D): tf.Tensor {
  let grad: tf.Tensor = tf.matMul(input, z, true, false);
  if (stage.l1 > 0) grad = tf.add(grad, tf.mul(stage.l1, tf.sign(stage.kernel)));
  if (stage.l2 > 0) grad = tf.add(grad, tf.mul(2 * stage.l2, stage.kernel));
  return grad;
}

/** Each row's share of the batch loss: w / Σw, or 1 / rows; a column. */
function normalizedWeights(weights: tf.Tensor1D | undefined, rows: number): tf.Tensor2D {
  if (!weights) return tf.fill([rows, 1], 1 / rows);
  return tf.reshape(tf.div(weights, tf.sum(weights)), [rows, 1]);
}

/** The weighted mean loss, computed as loss.ts's rowLosses does. */
function dataLoss(
  output: tf.Tensor2D,
  target: tf.Tensor2D,
  share: tf.Tensor2D,
  task: Task,
): tf.Scalar {
  const perRow =
    task === 'regression'
      ? tf.mean(tf.square(tf.sub(output, target)), 1, true)
      : tf.neg(
          tf.sum(
            tf.mul(
              target,
              tf.log(tf.clipByValue(output, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON)),
            ),
            1,
            true,
          ),
        );
  return tf.sum(tf.mul(perRow, share));
}

/**
 * The loss's gradient with respect to the last layer's pre-activation for softmax outputs
 * (share·(p - y)), or with respect to the linear output for squared error
 * (share·2(ŷ - y)/units). Keras clips probabilities at 1e-7 before the log, which zeroes the
 * gradient of a row whose true class is given less than that; here such a row still pulls,
 * a difference only while a network is confidently wrong.
 */
function outputGradient(
  output: tf.Tensor2D,
  target: tf.Tensor2D,
  share: tf.Tensor2D,
  task: Task,
): tf.Tensor2D {
  const error = tf.sub(output, target);
  if (task === 'regression') return tf.mul(error, tf.mul(share, 2 / output.shape[1]));
  return tf.mul(error, share);
}
