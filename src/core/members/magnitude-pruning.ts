import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { PruneConfig } from '../config/types';
import type { Dataset } from '../data/types';
import type { PruningStep } from '../runs/report';
import { evaluate } from '../training/predict';

/** Fine-tunes a model for some epochs, calling `afterStep` after each optimizer step. */
export type FineTune = (epochs: number, afterStep: () => void) => Promise<void>;

/**
 * Magnitude pruning with fine-tuning: in `steps` steps up to `sparsity`, the smallest weights
 * (by absolute value) of each kernel are set to zero, and the model is fine-tuned with those
 * weights held at zero (they are zeroed again after every optimizer step). Biases and
 * batch-norm parameters are kept. Returns each step's size and validation scores, the
 * unpruned model first.
 */
export async function pruneByMagnitude(
  model: LayersModel,
  settings: PruneConfig,
  validation: Dataset | undefined,
  fineTune: FineTune,
): Promise<PruningStep[]> {
  const curve = [measure(model, 0, validation)];
  for (let step = 1; step <= settings.steps; step++) {
    const sparsity = (settings.sparsity * step) / settings.steps;
    const masks = magnitudeMasks(model, sparsity);
    applyMasks(model, masks);
    await fineTune(settings.fineTuneEpochs, () => applyMasks(model, masks));
    applyMasks(model, masks);
    masks.forEach((m) => m?.dispose());
    curve.push(measure(model, sparsity, validation));
  }
  return curve;
}

/** Kernel variables: the weights of dense and convolution layers, not biases or norms. */
function kernels(model: LayersModel) {
  return model.trainableWeights.filter((w) => /kernel/.test(w.originalName));
}

function magnitudeMasks(model: LayersModel, sparsity: number): (tf.Tensor | undefined)[] {
  return kernels(model).map((w) =>
    tf.tidy(() => {
      const values = w.read();
      const magnitudes = Float32Array.from(values.dataSync(), Math.abs).sort();
      const cut =
        magnitudes[Math.min(magnitudes.length - 1, Math.floor(sparsity * magnitudes.length))];
      return tf.cast(tf.greaterEqual(tf.abs(values), cut), 'float32');
    }),
  );
}

function applyMasks(model: LayersModel, masks: (tf.Tensor | undefined)[]): void {
  kernels(model).forEach((w, i) => {
    const mask = masks[i];
    if (!mask) return;
    const pruned = tf.tidy(() => tf.mul(w.read(), mask));
    w.write(pruned);
    pruned.dispose();
  });
}

function measure(model: LayersModel, sparsity: number, validation?: Dataset): PruningStep {
  let [nonzero, total] = [0, 0];
  for (const w of kernels(model)) {
    const values = w.read().dataSync();
    total += values.length;
    values.forEach((v) => (nonzero += v !== 0 ? 1 : 0));
  }
  const step: PruningStep = { sparsity, nonzero, kernelWeights: total };
  if (!validation?.rows) return step;

  const scores = evaluate(model, validation);
  step.validationLoss = scores.loss;
  if (scores.accuracy !== undefined) step.validationAccuracy = scores.accuracy;
  return step;
}
