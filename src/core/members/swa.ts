import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { SwaConfig } from '../config/types';
import type { Dataset } from '../data/types';

/** Trains a model on for some epochs, calling `afterEpoch` after each; the caller's loop. */
export type TrainOn = (
  epochs: number,
  learningRate: number,
  afterEpoch: () => void,
) => Promise<void>;

/**
 * Stochastic weight averaging (Izmailov et al., 2018): the trained network trains on for
 * `epochs` epochs at a constant learning rate, its trainable weights are averaged over the
 * ends of those epochs and set as its weights, and every batch-norm layer's moving mean and
 * variance are recomputed for the averaged weights from the training rows (the averaged
 * weights were never trained with the old statistics).
 */
export async function averageWeights(
  model: tfl.LayersModel,
  settings: SwaConfig,
  baseRate: number,
  train: Dataset,
  trainOn: TrainOn,
): Promise<void> {
  const variables = model.trainableWeights;
  const sums = variables.map((v) => new Float64Array(v.read().size));
  const accumulate = () =>
    variables.forEach((v, i) =>
      v
        .read()
        .dataSync()
        .forEach((x, j) => (sums[i][j] += x)),
    );

  await trainOn(settings.epochs, settings.learningRate ?? baseRate / 2, accumulate);
  variables.forEach((v, i) => {
    const mean = tf.tensor(
      Float32Array.from(sums[i], (s) => s / settings.epochs),
      v.read().shape,
    );
    v.write(mean);
    mean.dispose();
  });
  recomputeBatchNorm(model, train);
}

/**
 * Sets each batch-norm layer's moving statistics to the mean and variance of its inputs over
 * the training rows, layer by layer in order, so each sees the layers before it already
 * updated. Inputs run in inference mode (no dropout).
 */
export function recomputeBatchNorm(model: tfl.LayersModel, train: Dataset): void {
  const norms = model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
  for (const layer of norms) {
    const probe = tfl.model({ inputs: model.inputs, outputs: layer.input as tfl.SymbolicTensor });
    const [gamma, beta] = layer.getWeights();
    const stats = tf.tidy(() => {
      const x = tf.tensor(train.x, [train.rows, ...train.inputShape]);
      const inputs = probe.predict(x) as tf.Tensor;
      const axes = inputs.shape.slice(0, -1).map((_, i) => i);
      const { mean, variance } = tf.moments(inputs, axes);
      return [mean, variance];
    });
    layer.setWeights([gamma, beta, ...stats]);
    stats.forEach((t) => t.dispose());
  }
}
