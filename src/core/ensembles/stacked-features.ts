import type { Dataset } from '../data/types';
import type { PredictionScale } from './combine';

/**
 * The rows a stacking level reads: each lower member's outputs side by side (`width` columns
 * per member), then, with `passthrough`, the original features. Labels stay as they are.
 * With `scale` (regression), predicted values are standardized by the training target's mean
 * and deviation, so a meta-learner reads inputs of unit scale, as the original features are.
 */
export function stackedDataset(
  base: Dataset,
  members: { name: string; outputs: Float32Array }[],
  width: number,
  passthrough: boolean,
  scale?: PredictionScale,
): Dataset {
  const own = passthrough ? base.features : 0;
  const columns = members.length * width + own;
  const x = new Float32Array(base.rows * columns);

  for (let r = 0; r < base.rows; r++) {
    members.forEach((m, i) =>
      x.set(m.outputs.subarray(r * width, (r + 1) * width), r * columns + i * width),
    );
    if (scale) {
      for (let c = 0; c < members.length * width; c++) {
        const at = r * columns + c;
        x[at] = (x[at] - scale.center) / scale.spread;
      }
    }
    if (passthrough) x.set(base.x.subarray(r * own, (r + 1) * own), r * columns + columns - own);
  }
  return {
    ...base,
    x,
    features: columns,
    inputShape: [columns],
    featureNames: [
      ...members.flatMap((m) => Array.from({ length: width }, (_, k) => `${m.name}[${k}]`)),
      ...(passthrough ? base.featureNames : []),
    ],
  };
}
