/**
 * Where a run stands. `interrupted` is never written: it is how a dead `running` run reads.
 * `pruned`: a sweep trial its pruner stopped early; `reason` says why.
 */
export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled' | 'interrupted' | 'pruned';

export type MemberStatus = 'pending' | 'running' | 'done' | 'failed';

export interface MemberRecord {
  name: string;
  kind: string;
  status: MemberStatus;
  fitMs?: number;
  epochsRun?: number;
  reason?: string;
}

/** run.json: what a person or the extension reads first about a run. */
export interface RunManifest {
  id: string;
  configName: string;
  /** The config file the run was started from. */
  configPath: string;
  /** Hash of the resolved config, to tell whether a config changed since. */
  configHash: string;
  status: RunStatus;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  backend: string;
  backendReason: string;
  seed: number;
  /** The process training the run, to tell a live run from a dead one. */
  pid: number;
  host: string;
  members: MemberRecord[];
  /** Headline test metrics of the ensemble, once known. */
  metrics?: Record<string, number>;
  error?: string;
  /** Why a run stopped before the end without failing: a pruned trial's pruner decision. */
  reason?: string;
  /** The sweep this run is a trial of. */
  sweep?: SweepLink;
}

/** A run that is a sweep trial names its sweep and its trial number. */
export interface SweepLink {
  sweepId: string;
  trial: number;
}
