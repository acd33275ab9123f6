import type { BackendPreference } from '../core/backend';
import type { EnsembleConfig } from '../core/config/types';
import type { Logger } from '../core/log';
import type { SweepLink } from '../core/runs/manifest';
import type { EpochLog } from '../core/training/types';
import type { TrainerEvent } from '../protocol/events';
import type { MemberPool } from './member-pool';

/**
 * What the trainer is asked to do: train the ensemble a config describes, finish a run that
 * stopped, or train an earlier run's config again. The same job runs in-process (CLI) or in a child process (extension).
 */
export type Job = (
  | {
      kind: 'train';
      configPath: string;
      storeRoot: string;
      backend: BackendPreference;
      seed?: number;
    }
  | { kind: 'resume'; runId: string; storeRoot: string; backend: BackendPreference }
  /** A new run from an earlier run's resolved config and seed, exactly as it was trained. */
  | { kind: 'rerun'; runId: string; storeRoot: string; backend: BackendPreference }
  | TrialJob
) & {
  /**
   * How many independent members may train at once, each on its own worker thread with its
   * own backend; default: one per core. 1 trains them one after another in this thread.
   */
  parallel?: number;
};

/**
 * One sweep trial: a config already resolved (the sweep's values written in) and the sweep it
 * belongs to. It carries everything it needs, so it could run in a worker or on another host;
 * its seed is the config's.
 */
export interface TrialJob {
  kind: 'trial';
  config: EnsembleConfig;
  sweep: SweepLink;
  storeRoot: string;
  backend: BackendPreference;
}

/** A member's epoch, as the job's `onEpoch` hook sees it. */
export interface MemberEpochReport extends Pick<EpochLog, 'epoch' | 'valLoss' | 'valAccuracy'> {
  member: string;
}

/** How a job reports back: every event, and a logger for lines that are not events. */
export interface JobHooks {
  emit: (event: TrainerEvent) => void;
  logger: Logger;
  /** Aborting cancels the run between batches; finished members are kept. */
  signal?: AbortSignal;
  /**
   * Called after every epoch of every member. Returning `{ stop: reason }` ends the run there
   * as `pruned` (a sweep's pruner); the members finished before are kept.
   */
  onEpoch?: (report: MemberEpochReport) => { stop: string } | void;
  /**
   * Worker threads shared with other jobs (a sweep's trials running at once): the job fits its
   * members there and leaves the pool open. Without it the job starts, and closes, its own.
   */
  pool?: MemberPool;
  /**
   * Fit on `pool` the members of methods that train one after another (AdaBoost, boosting,
   * snapshots) too, which a job otherwise fits on its own thread: set when other jobs share
   * the pool at the same time (sweep trials at once), whose sequential members would then all
   * take turns on this one thread.
   */
  poolForSequential?: boolean;
}

export interface JobOutcome {
  runId: string;
  status: 'completed' | 'cancelled' | 'failed' | 'pruned';
  /** Why a pruned run was stopped. */
  reason?: string;
}
