/**
 * Everything a training run reports, as one tagged union. The trainer emits these, appends
 * each to the run's events.jsonl and (as a child process) sends them to the extension; the CLI
 * draws its progress bars from them. A run can be replayed from its log exactly as seen live.
 */
export type TrainerEvent =
  | RunStarted
  | MemberStarted
  | MemberEpoch
  | MemberDone
  | MemberFailed
  | MetricEvent
  | LogEvent
  | RunDone
  | RunFailed
  | RunCancelled
  | RunPruned;

interface EventBase {
  runId: string;
  /** Milliseconds since the epoch. */
  time: number;
}

export interface RunStarted extends EventBase {
  type: 'run-started';
  configName: string;
  configPath: string;
  backend: string;
  /** Every member the run will train, in order, including those a resume already has. */
  members: { name: string; kind: string }[];
  resumed: boolean;
}

export interface MemberStarted extends EventBase {
  type: 'member-started';
  member: string;
  /** Training rows this member sees (after bootstrap or subsampling). */
  rows: number;
}

export interface MemberEpoch extends EventBase {
  type: 'member-epoch';
  member: string;
  /** 1-based. */
  epoch: number;
  epochs: number;
  loss: number;
  valLoss?: number;
  valAccuracy?: number;
  learningRate: number;
}

export interface MemberDone extends EventBase {
  type: 'member-done';
  member: string;
  /** Headline test metrics of this member alone. */
  metrics: Record<string, number>;
  fitMs: number;
  epochsRun: number;
}

export interface MemberFailed extends EventBase {
  type: 'member-failed';
  member: string;
  reason: string;
}

export interface MetricEvent extends EventBase {
  type: 'metric';
  /** `ensemble` or a member name. */
  scope: string;
  split: 'validation' | 'test' | 'oob';
  name: string;
  value: number;
}

export interface LogEvent extends EventBase {
  type: 'log';
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

export interface RunDone extends EventBase {
  type: 'run-done';
  /** Headline test metrics of the ensemble. */
  metrics: Record<string, number>;
}

export interface RunFailed extends EventBase {
  type: 'run-failed';
  reason: string;
}

export interface RunCancelled extends EventBase {
  type: 'run-cancelled';
}

/** A sweep's pruner stopped the run (a trial) early; the members finished before are kept. */
export interface RunPruned extends EventBase {
  type: 'run-pruned';
  reason: string;
}

export type TrainerEventType = TrainerEvent['type'];
