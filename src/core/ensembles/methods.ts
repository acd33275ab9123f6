import type { EnsembleMethod } from '../config/types';
import { adaboost } from './adaboost';
import { bagging } from './bagging';
import { fge } from './fge';
import { fusion } from './fusion';
import { gradientBoosting } from './gradient-boosting';
import { pruning } from './pruning';
import { selection } from './selection';
import { snapshot } from './snapshot';
import { stacking } from './stacking';
import { planAllRows, type EnsembleMethodModule } from './plan';
import { plannedMethod } from './planned';

/** Voting (classification) and averaging (regression): members differ by seed and spec only. */
const allRows = plannedMethod(planAllRows);

const METHODS: Record<EnsembleMethod, EnsembleMethodModule> = {
  voting: allRows,
  averaging: allRows,
  bagging,
  adaboost,
  'gradient-boosting': gradientBoosting,
  stacking,
  selection,
  pruning,
  snapshot,
  fge,
  fusion,
};

export function methodModule(method: EnsembleMethod): EnsembleMethodModule {
  return METHODS[method];
}
