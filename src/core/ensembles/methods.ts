import type { EnsembleMethod } from '../config/types';
import { bagging } from './bagging';
import { planAllRows, type EnsembleMethodModule } from './plan';

/** Voting (classification) and averaging (regression): members differ by seed and spec only. */
const allRows: EnsembleMethodModule = { plan: planAllRows };

const METHODS: Record<EnsembleMethod, EnsembleMethodModule> = {
  voting: allRows,
  averaging: allRows,
  bagging,
};

export function methodModule(method: EnsembleMethod): EnsembleMethodModule {
  return METHODS[method];
}
