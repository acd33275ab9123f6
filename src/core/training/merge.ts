import type { TrainingConfig } from '../config/types';

/**
 * A member's training settings: the ensemble-wide ones with the member's overrides on top.
 * Nested settings (`schedule`, `earlyStopping`, `classWeights`) are replaced whole, not
 * merged, so an override never mixes two schedules' fields.
 */
export function mergeTraining(
  base: TrainingConfig,
  override: Partial<TrainingConfig>,
): TrainingConfig {
  const defined = Object.entries(override).filter(([, value]) => value !== undefined);
  return { ...base, ...(Object.fromEntries(defined) as Partial<TrainingConfig>) };
}
