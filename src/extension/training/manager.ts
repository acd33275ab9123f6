import { hostname } from 'node:os';
import { join } from 'node:path';
import type { BackendPreference } from '../../core/backend';
import type { TrainerEvent } from '../../protocol/events';
import type { Job } from '../../trainer/job';
import { listRunSummaries } from '../runs/summary';
import { advance, initialProgress, type Progress } from './progress';
import { SerialQueue } from './queue';
import { EventFollower } from './tail';
import { TrainerProcess } from './trainer-process';

/** What the user asked to train. */
export interface TrainRequest {
  configPath: string;
  /** The runs folder of the config's workspace folder. */
  storeRoot: string;
  backend: BackendPreference;
  /** Train this earlier run's resolved config and seed again instead of reading the file. */
  rerunOf?: string;
  /** Members trained at once on worker threads; default one per core. */
  parallel?: number;
}

/** How a training job ended. `interrupted`: the trainer died without saying how the run ended. */
export type JobOutcome = 'completed' | 'failed' | 'cancelled' | 'pruned' | 'interrupted';

/** One Train request, or one run followed from its event log after a reload. */
export interface TrainingJob {
  readonly id: number;
  readonly configPath: string;
  readonly storeRoot: string;
  state: 'queued' | 'running' | 'finished';
  /** True when another process trains the run and this window only follows its events. */
  readonly attached: boolean;
  /** Known once the trainer announces the run. */
  runId?: string;
  runDir?: string;
  progress: Progress;
  /** Set when the job ends. */
  outcome?: JobOutcome;
  /** Why the job failed, when the trainer said. */
  error?: { message: string; expected: boolean };
  /** True once Stop was asked for. */
  stopping?: boolean;
  /** The trainer's process id, for a followed run. */
  pid?: number;
}

/** Hooks for everything that shows training: tree, status bar, notifications, panels, log. */
export interface TrainingListener {
  onEvent?: (job: TrainingJob, event: TrainerEvent) => void;
  /** The job was queued, started, is stopping or finished. */
  onChange?: (job: TrainingJob) => void;
  onFinished?: (job: TrainingJob) => void;
  /** A line of the trainer's own output, outside events (a crash's stack). */
  onOutput?: (job: TrainingJob, line: string) => void;
}

/** What Stop did. */
export type StopResult = 'dequeued' | 'cancelling' | 'killed' | 'not-running';

/**
 * Runs Train requests one after another, each in its own trainer process, and follows runs
 * other processes train. Free of vscode so that it can be tested by really training.
 */
export class TrainingManager {
  private readonly jobs = new Map<number, TrainingJob>();
  private readonly processes = new Map<number, TrainerProcess>();
  private readonly followers = new Map<number, EventFollower>();
  private readonly listeners = new Set<TrainingListener>();
  private readonly requests = new Map<number, TrainRequest>();
  private readonly queue = new SerialQueue<TrainingJob>((job) => this.runJob(job));
  private nextId = 1;

  /** `trainerPath` is dist/trainer.js; the timings are for tests. */
  constructor(
    private readonly options: { trainerPath: string; killAfterMs?: number; pollMs?: number },
  ) {}

  /** Adds a listener; call the returned function to remove it. */
  listen(listener: TrainingListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Jobs queued or running, oldest first. */
  active(): TrainingJob[] {
    return [...this.jobs.values()];
  }

  /** The active job training the run in `runDir`. */
  findByRunDir(runDir: string): TrainingJob | undefined {
    return this.active().find((job) => job.runDir === runDir);
  }

  /** Queues a request; it starts once the jobs before it have finished. */
  train(request: TrainRequest): TrainingJob {
    const job = this.newJob(request.configPath, request.storeRoot, false);
    this.requests.set(job.id, request);
    this.queue.add(job);
    this.changed(job);
    return job;
  }

  /** Stops a job: a queued one leaves the queue, a running one is cancelled (or killed). */
  stop(job: TrainingJob): StopResult {
    if (job.state === 'queued' && this.queue.remove(job)) {
      this.finish(job, 'cancelled');
      return 'dequeued';
    }
    const child = this.processes.get(job.id);
    if (child) {
      child.cancel();
      job.stopping = true;
      this.changed(job);
      return 'cancelling';
    }
    return this.stopAttached(job);
  }

  /**
   * Follows every run of `storeRoot` that another live process on this machine trains and
   * that no job follows yet (after a window reload, or a run started from the CLI). Sweep
   * trials are left to their sweep, which the tree follows through sweep.json.
   */
  reattach(storeRoot: string): TrainingJob[] {
    const known = new Set(this.active().map((job) => job.runDir));
    // A run of this window's own trainer may show up before its run-started event arrives.
    const ours = new Set([...this.processes.values()].map((child) => child.pid));
    const live = listRunSummaries(storeRoot).filter(
      (run) =>
        run.manifest.status === 'running' &&
        !run.manifest.sweep &&
        run.manifest.host === hostname() &&
        !known.has(run.dir) &&
        !ours.has(run.manifest.pid),
    );
    return live.map((run) =>
      this.follow(run.dir, run.manifest.configPath, storeRoot, run.manifest.pid),
    );
  }

  /** Stops following runs; trainers this window started keep training to the end. */
  dispose(): void {
    for (const follower of this.followers.values()) follower.stop();
    this.listeners.clear();
  }

  private follow(runDir: string, configPath: string, storeRoot: string, pid: number): TrainingJob {
    const job = this.newJob(configPath, storeRoot, true);
    job.state = 'running';
    job.runDir = runDir;
    job.runId = runDir.split(/[\\/]/).pop();
    job.pid = pid;
    const follower = new EventFollower(join(runDir, 'events.jsonl'), {
      onEvent: (event) => this.received(job, event),
      onEnd: () => this.finish(job, outcomeOf(job)),
      isAlive: () => isAlive(pid),
      intervalMs: this.options.pollMs,
    });
    this.followers.set(job.id, follower);
    this.changed(job);
    follower.start();
    return job;
  }

  private stopAttached(job: TrainingJob): StopResult {
    if (!job.attached || job.pid === undefined || !isAlive(job.pid)) return 'not-running';
    // No IPC channel to a process this window did not start: it ends, and the run reads as
    // interrupted (resumable from the CLI with `ensemble-lab resume`).
    process.kill(job.pid, 'SIGTERM');
    job.stopping = true;
    this.changed(job);
    return 'killed';
  }

  private async runJob(job: TrainingJob): Promise<void> {
    const request = this.requests.get(job.id);
    if (!request || job.state !== 'queued') return;
    job.state = 'running';
    this.changed(job);

    const child = new TrainerProcess(
      this.options.trainerPath,
      trainerJob(request),
      {
        onEvent: (event) => this.received(job, event),
        onError: (message, expected) => (job.error = { message, expected }),
        onOutput: (line) => this.emit((l) => l.onOutput?.(job, line)),
      },
      this.options.killAfterMs,
    );
    this.processes.set(job.id, child);
    await child.exited;

    this.finish(job, job.error ? 'failed' : outcomeOf(job));
  }

  private received(job: TrainingJob, event: TrainerEvent): void {
    if (event.type === 'run-started' && !job.runDir) {
      job.runId = event.runId;
      job.runDir = join(job.storeRoot, 'runs', event.runId);
    }
    // The trainer may also send an error with more detail; that one then replaces this.
    if (event.type === 'run-failed') job.error ??= { message: event.reason, expected: true };
    job.progress = advance(job.progress, event);
    this.emit((l) => l.onEvent?.(job, event));
    if (event.type === 'run-started') this.changed(job);
  }

  private finish(job: TrainingJob, outcome: JobOutcome): void {
    if (job.state === 'finished') return;
    job.state = 'finished';
    job.outcome = outcome;
    this.jobs.delete(job.id);
    this.processes.delete(job.id);
    this.followers.delete(job.id);
    this.requests.delete(job.id);
    this.emit((l) => l.onFinished?.(job));
    this.changed(job);
  }

  private newJob(configPath: string, storeRoot: string, attached: boolean): TrainingJob {
    const job: TrainingJob = {
      id: this.nextId++,
      configPath,
      storeRoot,
      attached,
      state: 'queued',
      progress: initialProgress(),
    };
    this.jobs.set(job.id, job);
    return job;
  }

  private changed(job: TrainingJob): void {
    this.emit((l) => l.onChange?.(job));
  }

  private emit(call: (listener: TrainingListener) => void): void {
    for (const listener of this.listeners) call(listener);
  }
}

function outcomeOf(job: TrainingJob): JobOutcome {
  switch (job.progress.ended) {
    case 'run-done':
      return 'completed';
    case 'run-failed':
      return 'failed';
    case 'run-cancelled':
      return 'cancelled';
    case 'run-pruned':
      return 'pruned';
    default:
      return 'interrupted';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The trainer's job for a request: the config file, or the run it re-runs. */
function trainerJob(request: TrainRequest): Job {
  const { configPath, storeRoot, backend, rerunOf, parallel } = request;
  if (rerunOf !== undefined) return { kind: 'rerun', runId: rerunOf, storeRoot, backend, parallel };
  return { kind: 'train', configPath, storeRoot, backend, parallel };
}
