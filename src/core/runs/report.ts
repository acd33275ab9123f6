import type { CombineRule, EnsembleMethod, Task } from '../config/types';

/** One row of the leaderboard: a member or the ensemble. */
export interface ScoredModel {
  name: string;
  /** Member kind, or `ensemble`. */
  kind: string;
  /** Test metrics by name (see metrics/names.ts). */
  metrics: Record<string, number>;
  /** Validation metrics by name, when there are validation rows. */
  validationMetrics?: Record<string, number>;
  /** confusion[true][predicted], classification only. */
  confusion?: number[][];
  perClass?: { label: string; precision: number; recall: number; f1: number; support: number }[];
}

export interface MemberReport extends ScoredModel {
  status: 'done' | 'failed';
  reason?: string;
  fitMs?: number;
  epochsRun?: number;
  bestEpoch?: number;
  parameters?: number;
  /** Training rows this member saw, counting repeats, and how many were distinct. */
  rows?: number;
  distinctRows?: number;
  /** Feature columns this member saw (random subspaces), by index. */
  features?: number[];
  /** Its weight in the combine step. */
  weight?: number;
}

/** report.json: everything the leaderboard and the confusion-matrix panel show. */
export interface RunReport {
  runId: string;
  configName: string;
  task: Task;
  classes: string[];
  method: EnsembleMethod;
  combine: CombineRule;
  headline: string;
  split: { train: number; validation: number; test: number };
  /** The file the test rows came from, when a run was evaluated on other rows than its own. */
  source?: string;
  ensemble: ScoredModel;
  members: MemberReport[];
  /** Mean of each test metric over the trained members. */
  meanMember: Record<string, number>;
  diversity?: {
    pairs: Record<string, number | string>[];
    mean: Record<string, number>;
  };
  oob?: { metric: string; value: number; coverage: number };
  reliability?: {
    binStart: number;
    binEnd: number;
    count: number;
    confidence: number;
    accuracy: number;
  }[];
}
