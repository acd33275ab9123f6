import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Task } from '../config/types';

/** Probabilities are clipped this far from 0 and 1 before the log, as Keras does. */
export const PROBABILITY_EPSILON = 1e-7;

/**
 * The training objective of one batch: the (weighted) mean of the per-row losses plus the
 * model's kernel regularization penalties. The forward pass runs in training mode, so dropout
 * masks inputs and batch normalization uses (and updates) its batch statistics.
 */
export function batchObjective(
  model: LayersModel,
  x: tf.Tensor,
  target: tf.Tensor2D,
  weights: tf.Tensor1D | undefined,
  task: Task,
): tf.Scalar {
  const output = model.apply(x, { training: true }) as tf.Tensor2D;
  const perRow = rowLosses(output, target, task);
  const data = weights ? tf.div(tf.sum(tf.mul(perRow, weights)), tf.sum(weights)) : tf.mean(perRow);

  // tfjs-layers keeps regularizers as layer loss functions, summed by calculateLosses().
  return model
    .calculateLosses()
    .reduce<tf.Scalar>((total, penalty) => tf.add(total, penalty), data as tf.Scalar);
}

/** Cross-entropy of softmax outputs against one-hot targets, or squared error. */
function rowLosses(output: tf.Tensor2D, target: tf.Tensor2D, task: Task): tf.Tensor1D {
  if (task === 'regression') return tf.mean(tf.square(tf.sub(output, target)), 1) as tf.Tensor1D;

  const clipped = tf.clipByValue(output, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON);
  return tf.neg(tf.sum(tf.mul(target, tf.log(clipped)), 1)) as tf.Tensor1D;
}
