import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Task } from '../config/types';
import { batchObjective } from './loss';

/** One batch: its inputs, targets, optional row weights, and the model and task. */
export interface Batch {
  model: LayersModel;
  x: tf.Tensor;
  target: tf.Tensor2D;
  weights: tf.Tensor1D | undefined;
  task: Task;
}

/**
 * The fast gradient sign method (Goodfellow et al., 2015): each input moved by `epsilon` in
 * the direction, feature by feature, that raises the batch loss most. `epsilon` is in the
 * units of the model's inputs (standard deviations, under `standardize`).
 */
export function fgsm(batch: Batch, epsilon: number): tf.Tensor {
  return tf.tidy(() => {
    const loss = (x: tf.Tensor) =>
      batchObjective(batch.model, x, batch.target, batch.weights, batch.task);
    const gradient = tf.grad(loss)(batch.x);
    return tf.add(batch.x, tf.mul(tf.sign(gradient), epsilon));
  });
}

/**
 * The objective of one training step: the batch loss, or with `epsilon` the mean of the loss
 * on the batch and on its FGSM-perturbed copy (adversarial training). The perturbation is
 * made once, from the weights before the step.
 */
export function stepObjective(batch: Batch, epsilon: number | undefined): () => tf.Scalar {
  const plain = () => batchObjective(batch.model, batch.x, batch.target, batch.weights, batch.task);
  if (!epsilon) return plain;

  const perturbed = fgsm(batch, epsilon);
  return () => {
    const adversarial = batchObjective(
      batch.model,
      perturbed,
      batch.target,
      batch.weights,
      batch.task,
    );
    return tf.mul(tf.add(plain(), adversarial), 0.5);
  };
}
