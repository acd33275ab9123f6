import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Dataset } from '../data/types';
import { PROBABILITY_EPSILON } from './loss';

/** A model's loss (and accuracy, for classification) on some rows, without weights. */
export interface Evaluation {
  /** Mean cross-entropy or mean squared error, without the regularization penalty. */
  loss: number;
  accuracy?: number;
}

/**
 * The model's outputs for every row of `data`, row-major (`rows x outputUnits`): class
 * probabilities for classification, one value per row for regression. Inference mode,
 * in batches so large data sets do not need one huge tensor.
 */
export function predictProba(model: LayersModel, data: Dataset, batchSize = 256): Float32Array {
  const units = outputUnits(model);
  const out = new Float32Array(data.rows * units);
  const f = data.features;

  for (let start = 0; start < data.rows; start += batchSize) {
    const end = Math.min(start + batchSize, data.rows);
    const values = tf.tidy(() => {
      const x = tf.tensor(data.x.subarray(start * f, end * f), [end - start, ...data.inputShape]);
      return (model.predict(x) as tf.Tensor).dataSync();
    });
    out.set(values, start * units);
  }
  return out;
}

/** Loss and accuracy of a model on every row of `data`, as logged per epoch. */
export function evaluate(model: LayersModel, data: Dataset): Evaluation {
  const outputs = predictProba(model, data);
  if (data.task === 'regression') return { loss: meanSquaredError(outputs, data.y) };

  const units = outputUnits(model);
  let loss = 0;
  let correct = 0;
  for (let r = 0; r < data.rows; r++) {
    const row = outputs.subarray(r * units, r * units + units);
    const p = Math.min(Math.max(row[data.y[r]], PROBABILITY_EPSILON), 1 - PROBABILITY_EPSILON);
    loss -= Math.log(p);
    if (argMax(row) === data.y[r]) correct++;
  }
  return { loss: loss / data.rows, accuracy: correct / data.rows };
}

/** Units of the model's (single) output layer. */
export function outputUnits(model: LayersModel): number {
  const shape = model.outputs[0].shape;
  return shape[shape.length - 1] ?? 1;
}

function meanSquaredError(predicted: Float32Array, actual: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += (predicted[i] - actual[i]) ** 2;
  return sum / actual.length;
}

function argMax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
