import type { TrainerEvent } from '../../protocol/events';

/** Where a training run stands, folded from its events: what the status bar and tree show. */
export interface Progress {
  runId?: string;
  configName?: string;
  members: string[];
  /** Members finished (done or failed). */
  finished: number;
  member?: string;
  epoch?: number;
  epochs?: number;
  /** The terminal event's type once the run has ended. */
  ended?: 'run-done' | 'run-failed' | 'run-cancelled' | 'run-pruned';
}

export const TERMINAL_EVENTS = new Set(['run-done', 'run-failed', 'run-cancelled', 'run-pruned']);

export function initialProgress(): Progress {
  return { members: [], finished: 0 };
}

/** The progress after one more event; unrelated events (logs, metrics) leave it as it was. */
export function advance(progress: Progress, event: TrainerEvent): Progress {
  switch (event.type) {
    case 'run-started':
      return {
        ...progress,
        runId: event.runId,
        configName: event.configName,
        members: event.members.map((m) => m.name),
      };
    case 'member-started':
      return { ...progress, member: event.member, epoch: 0, epochs: undefined };
    case 'member-epoch':
      return { ...progress, member: event.member, epoch: event.epoch, epochs: event.epochs };
    case 'member-done':
    case 'member-failed':
      return { ...progress, finished: progress.finished + 1, epoch: undefined };
    case 'run-done':
    case 'run-failed':
    case 'run-cancelled':
    case 'run-pruned':
      return { ...progress, ended: event.type };
    default:
      return progress;
  }
}

/** "member 2/5 (wide) · epoch 40/150", or "starting" before the first member. */
export function describeProgress(progress: Progress): string {
  if (!progress.member) return 'starting';
  const index = progress.members.indexOf(progress.member) + 1;
  const total = progress.members.length;
  const member = `member ${index}/${total} (${progress.member})`;
  if (progress.epoch === undefined || progress.epochs === undefined) return member;

  return `${member} · epoch ${progress.epoch}/${progress.epochs}`;
}

/** Fraction of the whole run done, 0 to 1, counting the current member's epochs. */
export function fractionDone(progress: Progress): number {
  const total = progress.members.length;
  if (total === 0) return 0;
  const current = progress.epochs ? (progress.epoch ?? 0) / progress.epochs : 0;
  return Math.min(1, (progress.finished + current) / total);
}
