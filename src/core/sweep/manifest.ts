import type { SweepConfig, SweepObjective } from '../config/sweep-types';
import type { TrialState } from './history';
import type { Assignment } from './space';

/*
 * The shape of sweep.json, with no Node imports: the webviews read it too.
 */

/** An objective with its metric and direction settled. */
export type SettledObjective = Required<SweepObjective>;

/** Where a sweep stands. `interrupted` is never written: it is how a dead `running` one reads. */
export type SweepStatus = 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted';

/** One trial in sweep.json. Its run, in the run store, names the sweep and this number. */
export interface TrialRecord {
  /** 1-based, in the order trials were started. */
  number: number;
  state: TrialState;
  params: Assignment;
  runId?: string;
  /** The objective's value, for a completed trial. */
  value?: number;
  /** Why a trial was pruned or failed. */
  reason?: string;
  /** The trial's validation score after each epoch (the mean over its members so far). */
  intermediate: number[];
  startedAt: string;
  finishedAt?: string;
}

/**
 * sweep.json: everything needed to show a sweep and to resume it. The samplers keep no state
 * beyond their seed (sweep.sampler) and these trials, so this file is the sampler state.
 */
export interface SweepManifest {
  id: string;
  configName: string;
  configPath: string;
  /** The config text the sweep started from: trials edit this, not the file as it is now. */
  configText: string;
  sweep: SweepConfig;
  /** Settled once the first trial tells the task; until then as the config wrote it. */
  objective: SweepConfig['objective'] | SettledObjective;
  /** What `intermediate` holds: validation accuracy or validation loss. */
  intermediateMetric?: 'valAccuracy' | 'valLoss';
  status: SweepStatus;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** Time spent in trials over every session of the sweep, for the time budget. */
  elapsedMs: number;
  pid: number;
  host: string;
  trials: TrialRecord[];
  /** The number of the best completed trial. */
  best?: number;
  error?: string;
}
