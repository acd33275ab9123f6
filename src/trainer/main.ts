import { isUserError } from '../core/errors';
import type { Logger } from '../core/log';
import type { TrainerEvent } from '../protocol/events';
import type { Job } from './job';
import { runJob } from './run-job';

/**
 * The trainer as a child process: it receives one job over IPC, sends every event back, and
 * exits. A `cancel` message stops the run between batches, keeping finished members.
 */
type ParentMessage = { type: 'job'; job: Job } | { type: 'cancel' };
export type ChildMessage =
  { type: 'event'; event: TrainerEvent } | { type: 'error'; message: string; expected: boolean };

/**
 * Sends to the extension while it listens. When its window reloads the channel closes and the
 * run goes on: events.jsonl still records every event, and the reloaded window follows it.
 */
function send(message: ChildMessage): void {
  if (process.connected) process.send?.(message);
}

const logger: Logger = {
  log: (level, message) =>
    send({ type: 'event', event: { type: 'log', runId: '', time: Date.now(), level, message } }),
};

const controller = new AbortController();

process.on('message', (message: ParentMessage) => {
  if (message.type === 'cancel') controller.abort();
  if (message.type !== 'job') return;
  runJob(message.job, {
    emit: (event) => send({ type: 'event', event }),
    logger,
    signal: controller.signal,
  })
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      send({
        type: 'error',
        message: isUserError(error) ? error.toString() : text,
        expected: isUserError(error),
      });
      process.exitCode = isUserError(error) ? 2 : 1;
      if (process.connected) process.disconnect?.();
    });
});
