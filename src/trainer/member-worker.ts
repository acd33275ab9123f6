// A worker thread that fits members for the trainer: it starts its own TensorFlow.js backend
// once, then fits one member per `fit` message and saves it into the folder it was given.
// The main thread keeps every file of the run and every event; this thread only computes.
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../core/backend';
import { isUserError } from '../core/errors';
import type { Logger } from '../core/log';
import { memberKind } from '../core/members/kinds';
import { CoreShare } from './core-share';
import {
  ANSWERED,
  CANCEL,
  STOP,
  type FitRequest,
  type MemberWorkerData,
  type WorkerReply,
} from './member-protocol';

const port = parentPort;
const { backend, cores, share: shareMemory, hold } = workerData as MemberWorkerData;
const share = new CoreShare(cores, shareMemory, hold);

/** How long a worker computes before it lets a waiting one have its core. */
const SLICE_MS = 100;

function post(reply: WorkerReply): void {
  port?.postMessage(reply);
}

async function fit(request: FitRequest): Promise<void> {
  const flags = new Int32Array(request.flags);
  const logger: Logger = {
    log: (level, message) => post({ type: 'log', id: request.id, level, message }),
  };
  await initBackend(backend, logger);

  share.acquire();
  try {
    await fitAndSave(request, flags, logger);
  } finally {
    share.release();
  }
}

async function fitAndSave(request: FitRequest, flags: Int32Array, logger: Logger): Promise<void> {
  const fitted = await memberKind(request.kind).fit({
    ...request.input,
    logger,
    // Checked between batches: a good moment to let a waiting worker have the core.
    shouldStop: () => {
      share.yieldAfter(SLICE_MS);
      return Atomics.load(flags, CANCEL) === 1;
    },
    onEpoch: (log) => {
      post({ type: 'epoch', id: request.id, log });
      // The main thread answers each epoch (a sweep's pruner may stop the member here); the
      // core is another worker's while this one waits.
      share.release();
      Atomics.wait(flags, ANSWERED, 0);
      share.acquire();
      Atomics.store(flags, ANSWERED, 0);
      return Atomics.load(flags, STOP) === 1 ? 'stop' : undefined;
    },
  });
  try {
    if (!fitted.result.cancelled) await fitted.model.save(request.saveTo);
    const { parameters } = fitted.model;
    const { result, details } = fitted;
    post({ type: 'done', id: request.id, result, parameters, details });
  } finally {
    fitted.model.dispose();
  }
}

port?.on('message', (request: FitRequest) => {
  fit(request).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const expected = isUserError(error);
    const where = expected ? error.where : undefined;
    post({ type: 'error', id: request.id, message, expected, where });
  });
});
