import type { TrainingConfig } from '../config/types';
import type { Dataset } from '../data/types';
import { UserError } from '../errors';

/**
 * One weight per class, or undefined when classes are not weighted (or the task is
 * regression). `balanced` gives each class `n / (k * count)` over the rows actually trained
 * on (`rows`, repeats counted), so every class contributes equally to the loss; a map gives
 * weights by class name, 1 for classes it leaves out.
 */
export function computeClassWeights(
  train: Dataset,
  rows: Int32Array | undefined,
  setting: TrainingConfig['classWeights'],
): Float32Array | undefined {
  if (setting === undefined || train.task !== 'classification') return undefined;
  if (setting === 'balanced') return balancedWeights(train, rows);

  const weights = new Float32Array(train.classes.length).fill(1);
  for (const [name, weight] of Object.entries(setting)) {
    const index = train.classes.indexOf(name);
    if (index < 0) {
      throw new UserError(
        `training.classWeights names class "${name}", which is not in the data; ` +
          `use one of ${train.classes.join(', ')}`,
      );
    }
    weights[index] = weight;
  }
  return weights;
}

function balancedWeights(train: Dataset, rows: Int32Array | undefined): Float32Array {
  const classes = train.classes.length;
  const counts = new Float64Array(classes);
  const used = rows ?? Int32Array.from({ length: train.rows }, (_, i) => i);
  for (const row of used) counts[train.y[row]] += 1;

  // A class absent from the rows never reaches the loss; 1 keeps the vector finite.
  return Float32Array.from(counts, (count) => (count > 0 ? used.length / (classes * count) : 1));
}
