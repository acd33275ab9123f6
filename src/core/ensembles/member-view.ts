import { subsetDataset } from '../data/prepare';
import type { Dataset, PreparedData } from '../data/types';
import type { MemberPlan } from './plan';

/** The data one member sees: all splits cut to its feature subset, if it has one. */
export function memberView(data: PreparedData, plan: MemberPlan): PreparedData {
  if (!plan.features) return data;
  const cut = (ds: Dataset): Dataset =>
    subsetDataset(
      ds,
      Int32Array.from({ length: ds.rows }, (_, i) => i),
      plan.features,
    );
  return {
    ...data,
    train: cut(data.train),
    validation: cut(data.validation),
    test: cut(data.test),
  };
}
