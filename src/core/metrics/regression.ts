/** Regression metrics, defined as scikit-learn defines them. */
export interface RegressionMetrics {
  mse: number;
  rmse: number;
  mae: number;
  /**
   * Coefficient of determination. When the targets are constant it is 1 for a perfect fit
   * and 0 otherwise (scikit-learn's `force_finite` convention), never -Infinity.
   */
  r2: number;
}

/** Computes MSE, RMSE, MAE and R² of predictions against true targets. NaN for no rows. */
export function regressionMetrics(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
): RegressionMetrics {
  if (yTrue.length !== yPred.length) {
    throw new RangeError(`${yPred.length} predictions for ${yTrue.length} targets`);
  }
  const n = yTrue.length;
  if (n === 0) return { mse: NaN, rmse: NaN, mae: NaN, r2: NaN };

  let squared = 0;
  let absolute = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    const error = yPred[i] - yTrue[i];
    squared += error * error;
    absolute += Math.abs(error);
    mean += yTrue[i];
  }
  mean /= n;

  let spread = 0;
  for (let i = 0; i < n; i++) spread += (yTrue[i] - mean) ** 2;

  const mse = squared / n;
  return { mse, rmse: Math.sqrt(mse), mae: absolute / n, r2: rSquared(squared, spread) };
}

function rSquared(residualSum: number, totalSum: number): number {
  if (totalSum === 0) return residualSum === 0 ? 1 : 0;
  return 1 - residualSum / totalSum;
}
