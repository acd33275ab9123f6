import type { EnsembleConfig, MemberSpec, TrainingConfig } from '../config/types';
import type { Dataset, PreparedData } from '../data/types';
import type { Logger } from '../log';
import type { Rng } from '../random';
import type { NetworkWeights } from '../members/kind';
import type { MemberReport } from '../runs/report';
import type { Combiner } from './combine';
import type { MemberOutputs } from './evaluate';

/**
 * One unit of work: a member to train, self-contained so it can run on a worker thread (or,
 * later, another machine). `rows` indexes the training set (may repeat, for bootstrap);
 * `features` selects feature columns (random subspaces). Absent means all.
 */
export interface MemberPlan {
  name: string;
  spec: MemberSpec;
  seed: number;
  rows?: Int32Array;
  features?: Int32Array;
  /** Loss weight per entry of `rows` (or per training row): boosting's sample weights. */
  sampleWeights?: Float32Array;
  /**
   * Targets fitted with squared error instead of the labels, `width` per training row:
   * gradient boosting's residuals.
   */
  targets?: { values: Float32Array; width: number };
  /** Also predict every training row (out-of-bag, boosting, out-of-fold predictions). */
  predictTrain?: boolean;
  /** Fusion: the members whose networks are built side by side and trained as this one. */
  branches?: MemberSpec[];
  /** Start from these weights (a network's), instead of the seeded initialization. */
  initialWeights?: NetworkWeights;
  /** Return the trained weights with the outputs, for a member that warm-starts from them. */
  keepWeights?: boolean;
  /**
   * The training settings to use as they are, instead of the config's merged with the
   * member's (the cycles of snapshot ensembles and FGE: their own epochs, schedule, no early
   * stopping).
   */
  training?: TrainingConfig;
  /**
   * The data this member reads instead of the run's (a stacking meta-learner reads the
   * predictions of the level below); same rows, other columns.
   */
  data?: PreparedData;
}

export interface PlanContext {
  config: EnsembleConfig;
  train: Dataset;
  rng: Rng;
}

/** What a method says about one member in the report: its weight, α, fold, round... */
export type MemberNote = Pick<
  MemberReport,
  'weight' | 'alpha' | 'error' | 'fold' | 'round' | 'role' | 'count' | 'validationScore' | 'cycle'
>;

/** What an ensemble method hands to the report once its members are trained. */
export interface MethodResult {
  /** The members combined into the ensemble, in order. */
  members: MemberOutputs[];
  /** Members trained along the way but not combined (out-of-fold models, pruned members). */
  others: MemberOutputs[];
  /** The ensemble's outputs, from the shared combine step. */
  combined: { test: Float32Array; validation?: Float32Array };
  /** How new rows are combined; saved with the run as combiner.json for `predict`. */
  combiner: Combiner;
  /** Per member name. */
  notes: Record<string, MemberNote>;
  /** Method-level results for report.json (AdaBoost rounds, the pruning curve, ...). */
  details?: Record<string, unknown>;
}

/** Thrown by {@link MethodContext.trainMember} when the run is cancelled. */
export class RunCancelled extends Error {
  constructor() {
    super('the run was cancelled');
    this.name = 'RunCancelled';
  }
}

/** Thrown by {@link MethodContext.trainMember} when a member fails; the run has recorded it. */
export class MemberFailed extends Error {
  constructor(
    readonly member: string,
    readonly reason: string,
  ) {
    super(`member "${member}" failed: ${reason}`);
    this.name = 'MemberFailed';
  }
}

/** What a method runs with: the data, a seeded random source and a way to train members. */
export interface MethodContext {
  config: EnsembleConfig;
  data: PreparedData;
  rng: Rng;
  logger: Logger;
  /**
   * Trains one member (or, when a resumed run finished it, loads it) and returns its outputs
   * on every split. Throws {@link MemberFailed} or {@link RunCancelled}.
   */
  trainMember(plan: MemberPlan): Promise<MemberOutputs>;
  /**
   * How many members may train at once: `trainMember` may be called that many times before
   * the first call settles (on worker threads). 1 trains one after another.
   */
  parallel: number;
  /**
   * How many `trainMember` calls may be in flight when members take turns on `parallel` cores
   * (the trainer's worker pool): more members in flight than cores lets the last ones share
   * the cores rather than leave some idle. Unset means `parallel`.
   */
  inFlight?: number;
  /**
   * Copies the finished members of an earlier run (a run id, or a path to its folder) into
   * this run and returns their outputs on this run's rows. The earlier run must have read the
   * same data with the same split; `at` is the config setting that names it, for errors.
   */
  importRun(ref: string, at: string): Promise<MemberOutputs[]>;
}

/**
 * An ensemble method. `members` lists every member it may train, for the run's manifest
 * (a sequential method lists its most); `run` trains them, planned up front or one after the
 * other as earlier members' outputs come in, and combines them. A new method is a new module
 * implementing this, registered in `methods.ts`.
 */
export interface EnsembleMethodModule {
  members(context: PlanContext): { name: string; kind: string }[];
  /**
   * Whether `run` may have several members in flight at once (it trains them with
   * `trainEach`). Only then does the trainer fit members on worker threads: a method that
   * trains one member after another fits them on its own thread, without a worker's start-up
   * and the save and reload of every model that a fit on a worker costs.
   */
  trainsAtOnce?: boolean;
  run(context: MethodContext): Promise<MethodResult>;
}

/** Every member trained on every row, each with its own seed. */
export function planAllRows({ config, rng }: PlanContext): MemberPlan[] {
  return config.members.map((spec) => ({
    name: spec.name,
    spec,
    seed: rng.fork(spec.name).nextUint32(),
  }));
}
