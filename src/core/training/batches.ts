import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../data/types';

/**
 * The rows one member trains on, as positions into `rowOf` (or straight into the data set
 * when every row is used once), with each position's loss weight.
 */
export interface RowPlan {
  /** Data set row of each position; undefined means position i is row i. */
  rowOf?: Int32Array;
  count: number;
  /** Loss weight per position; undefined when every weight is 1. */
  weights?: Float32Array;
}

/**
 * Weights per position: the caller's sample weights (boosting, say) times the data set's
 * own sample weight column times the class weight of the row's label.
 */
export function planRows(
  train: Dataset,
  rows: Int32Array | undefined,
  sampleWeights: Float32Array | undefined,
  classWeights: Float32Array | undefined,
): RowPlan {
  const count = rows?.length ?? train.rows;
  if (!sampleWeights && !train.sampleWeights && !classWeights) return { rowOf: rows, count };

  const weights = new Float32Array(count);
  for (let p = 0; p < count; p++) {
    const row = rows ? rows[p] : p;
    const classWeight = classWeights ? classWeights[train.y[row]] : 1;
    weights[p] = (sampleWeights?.[p] ?? 1) * (train.sampleWeights?.[row] ?? 1) * classWeight;
  }
  return { rowOf: rows, count, weights };
}

/** The feature rows at some positions, copied into one tensor of the model's input shape. */
export function featureBatch(data: Dataset, plan: RowPlan, positions: Int32Array): tf.Tensor {
  const f = data.features;
  const values = new Float32Array(positions.length * f);
  for (let i = 0; i < positions.length; i++) {
    const row = plan.rowOf ? plan.rowOf[positions[i]] : positions[i];
    values.set(data.x.subarray(row * f, row * f + f), i * f);
  }
  return tf.tensor(values, [positions.length, ...data.inputShape]);
}

/** Targets at some positions: one-hot rows for classification, a column for regression. */
export function targetBatch(
  data: Dataset,
  plan: RowPlan,
  positions: Int32Array,
  units: number,
): tf.Tensor2D {
  const labels = Float32Array.from(positions, (p) => data.y[plan.rowOf ? plan.rowOf[p] : p]);
  if (data.task === 'regression') return tf.tensor2d(labels, [labels.length, 1]);
  return tf.tidy(
    () => tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), units) as tf.Tensor2D,
  );
}

/** Given targets (`width` per data set row) at some positions, as a matrix. */
export function givenTargetBatch(
  targets: { values: Float32Array; width: number },
  plan: RowPlan,
  positions: Int32Array,
): tf.Tensor2D {
  const { values, width } = targets;
  const batch = new Float32Array(positions.length * width);
  for (let i = 0; i < positions.length; i++) {
    const row = plan.rowOf ? plan.rowOf[positions[i]] : positions[i];
    batch.set(values.subarray(row * width, row * width + width), i * width);
  }
  return tf.tensor2d(batch, [positions.length, width]);
}

/** The loss weights at some positions, or undefined when all are 1. */
export function weightBatch(plan: RowPlan, positions: Int32Array): tf.Tensor1D | undefined {
  const { weights } = plan;
  if (!weights) return undefined;
  return tf.tensor1d(Float32Array.from(positions, (p) => weights[p]));
}
