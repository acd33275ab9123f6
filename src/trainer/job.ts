import type { BackendPreference } from '../core/backend';
import type { Logger } from '../core/log';
import type { TrainerEvent } from '../protocol/events';

/**
 * What the trainer is asked to do: train the ensemble a config describes, finish a run that
 * stopped, or train an earlier run's config again. The same job runs in-process (CLI) or in a child process (extension).
 */
export type Job =
  | {
      kind: 'train';
      configPath: string;
      storeRoot: string;
      backend: BackendPreference;
      seed?: number;
    }
  | { kind: 'resume'; runId: string; storeRoot: string; backend: BackendPreference }
  /** A new run from an earlier run's resolved config and seed, exactly as it was trained. */
  | { kind: 'rerun'; runId: string; storeRoot: string; backend: BackendPreference };

/** How a job reports back: every event, and a logger for lines that are not events. */
export interface JobHooks {
  emit: (event: TrainerEvent) => void;
  logger: Logger;
  /** Aborting cancels the run between batches; finished members are kept. */
  signal?: AbortSignal;
}

export interface JobOutcome {
  runId: string;
  status: 'completed' | 'cancelled' | 'failed';
}
