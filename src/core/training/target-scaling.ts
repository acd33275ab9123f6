import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Dataset } from '../data/types';

/** Mean and standard deviation of a regression target over the rows a member trains on. */
export interface TargetScale {
  mean: number;
  std: number;
}

/**
 * Regression members train on a standardized target: raw targets (the diabetes progression is
 * about 150 ± 77) make the loss huge and the early epochs wasted. The scale is then folded into
 * the output layer, so the saved model predicts in the target's own units.
 */
export function targetScale(train: Dataset, rows?: Int32Array): TargetScale {
  const indices = rows ?? Int32Array.from({ length: train.rows }, (_, i) => i);
  let sum = 0;
  indices.forEach((r) => (sum += train.y[r]));
  const mean = sum / indices.length;
  let squares = 0;
  indices.forEach((r) => (squares += (train.y[r] - mean) ** 2));
  const std = Math.sqrt(squares / indices.length);
  return { mean, std: std > 0 ? std : 1 };
}

export function standardizeTarget(data: Dataset, scale: TargetScale): Dataset {
  return { ...data, y: data.y.map((v) => (v - scale.mean) / scale.std) };
}

/**
 * Rewrites a linear output layer y = xW + b as y = x(W·std) + (b·std + mean). Returns false,
 * changing nothing, when the last layer is not a linear dense layer with a bias.
 */
export function foldTargetScale(model: tfl.LayersModel, scale: TargetScale): boolean {
  const last = model.layers[model.layers.length - 1];
  const config = last.getConfig();
  const linear = last.getClassName() === 'Dense' && (config.activation ?? 'linear') === 'linear';
  const weights = last.getWeights();
  if (!linear || weights.length !== 2) return false;

  const [kernel, bias] = weights;
  const scaled = tf.tidy(() => [
    tf.mul(kernel, scale.std),
    tf.add(tf.mul(bias, scale.std), scale.mean),
  ]);
  last.setWeights(scaled);
  scaled.forEach((t) => t.dispose());
  return true;
}
