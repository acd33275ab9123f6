import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BackendPreference } from '../core/backend';
import type { MemberKind } from '../core/config/types';
import type { Dataset } from '../core/data/types';
import { UserError } from '../core/errors';
import { silentLogger, type Logger } from '../core/log';
import type { FitInput, FitOutput } from '../core/members/kind';
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

/** One fit in flight on a worker, with what the main thread must do for it. */
interface Pending {
  input: FitInput;
  flags: Int32Array;
  resolve: (reply: Extract<WorkerReply, { type: 'done' }>) => void;
  reject: (error: Error) => void;
}

/**
 * Fits members on worker threads, each with its own TensorFlow.js backend, so independent
 * members train at once on several cores. A fit is self-contained (the member's spec, rows,
 * data and seed); the worker saves the model to a temporary folder and the main thread loads
 * it back, so everything after the fit (predictions, files, events) stays on the main thread.
 * Workers start on demand when a fit finds none free (a pool that fits nothing costs nothing),
 * up to {@link WORKERS_PER_CORE} per core; however many run, at most `cores` compute at any
 * moment: they take turns through a {@link CoreShare}, so a method can keep more members in
 * flight than there are cores and the last ones do not leave cores idle.
 */
export class MemberPool {
  private readonly idle: Worker[] = [];
  private readonly waiting: ((worker: Worker) => void)[] = [];
  private readonly all: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly share: CoreShare;

  /** `logger` hears when each worker starts (at debug level). */
  constructor(
    readonly cores: number,
    private readonly backend: BackendPreference,
    private readonly logger: Logger = silentLogger,
  ) {
    this.share = new CoreShare(cores);
  }

  /** The most workers this pool starts: how many fits may be in flight at once. */
  get size(): number {
    return this.cores * WORKERS_PER_CORE;
  }

  /** How many worker threads this pool has started so far. */
  get workersStarted(): number {
    return this.all.length;
  }

  /** Fits one member on the next free worker; same answer as `memberKind(kind).fit(input)`. */
  async fit(kind: MemberKind, input: FitInput): Promise<FitOutput> {
    const worker = await this.take();
    const saveTo = await mkdtemp(join(tmpdir(), 'ensemble-lab-member-'));
    try {
      const done = await this.send(worker, kind, input, saveTo);
      if (done.result.cancelled)
        return { model: cancelledModel(done.parameters), result: done.result };
      const model = await memberKind(kind).load(saveTo);
      return { model, result: done.result, details: done.details };
    } finally {
      this.give(worker);
      await rm(saveTo, { recursive: true, force: true });
    }
  }

  /** Stops every worker; fits still running end with an error. */
  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()));
  }

  private start(): Worker {
    const worker = startWorker({
      backend: this.backend,
      cores: this.cores,
      share: this.share.buffer,
    });
    this.logger.log(
      'debug',
      `started member worker ${this.all.length + 1} (at most ${this.size}, ${this.cores} ` +
        `computing at once; ${this.backend} backend)`,
    );
    worker.on('message', (reply: WorkerReply) => this.received(reply));
    worker.on('error', (error) => this.failAll(error));
    this.all.push(worker);
    return worker;
  }

  private send(
    worker: Worker,
    kind: MemberKind,
    input: FitInput,
    saveTo: string,
  ): Promise<Extract<WorkerReply, { type: 'done' }>> {
    const flags = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
    const id = this.nextId++;
    // The callbacks stay here: the worker reaches them through messages and the flags.
    const { logger, shouldStop, onEpoch, ...data } = input;
    const request: FitRequest = { type: 'fit', id, kind, input: shareData(data), saveTo, flags };

    const view = new Int32Array(flags);
    const poll = setInterval(() => {
      if (shouldStop?.()) Atomics.store(view, CANCEL, 1);
    }, 50);
    return new Promise<Extract<WorkerReply, { type: 'done' }>>((resolve, reject) => {
      this.pending.set(id, { input, flags: view, resolve, reject });
      worker.postMessage(request);
    }).finally(() => {
      clearInterval(poll);
      this.pending.delete(id);
    });
  }

  private received(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    if (reply.type === 'log') pending.input.logger.log(reply.level, reply.message);
    else if (reply.type === 'epoch') answerEpoch(pending, reply.log);
    else if (reply.type === 'done') pending.resolve(reply);
    else pending.reject(errorOf(reply));
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
  }

  private take(): Promise<Worker> {
    const worker = this.idle.pop() ?? (this.all.length < this.size ? this.start() : undefined);
    if (worker) return Promise.resolve(worker);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private give(worker: Worker): void {
    const next = this.waiting.shift();
    if (next) next(worker);
    else this.idle.push(worker);
  }
}

/** The error a worker reported, as the same kind of error a fit on this thread would throw. */
function errorOf(reply: Extract<WorkerReply, { type: 'error' }>): Error {
  return reply.expected ? new UserError(reply.message, reply.where) : new Error(reply.message);
}

/** Passes an epoch to the member's own callback and tells the worker whether to stop. */
function answerEpoch(pending: Pending, log: Parameters<NonNullable<FitInput['onEpoch']>>[0]): void {
  const stop = pending.input.onEpoch?.(log) === 'stop';
  Atomics.store(pending.flags, STOP, stop ? 1 : 0);
  Atomics.store(pending.flags, ANSWERED, 1);
  Atomics.notify(pending.flags, ANSWERED);
}

/** A cancelled fit has no model to load; the trainer only disposes it. */
function cancelledModel(parameters: number): FitOutput['model'] {
  const none = (): never => {
    throw new Error('a cancelled member has no model');
  };
  return { predict: none, save: none, parameters, dispose: () => undefined };
}

/**
 * The worker: the bundle beside this one (dist/member-worker.js), or, when this file runs as
 * TypeScript (tests, the CLI from source), the source through tsx, which a worker thread does
 * not get from its parent's loader hooks.
 */
function startWorker(workerData: MemberWorkerData): Worker {
  if (!__filename.endsWith('.ts'))
    return new Worker(join(__dirname, 'member-worker.js'), { workerData });
  const tsx = require.resolve('tsx/cjs/api');
  const source = join(__dirname, 'member-worker.ts');
  const code = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(source)});`;
  return new Worker(code, { eval: true, workerData });
}

/** How many workers a pool may start per core it computes on. */
export const WORKERS_PER_CORE = 4;

const shared = new WeakMap<Float32Array, Float32Array>();

/** The data of a fit with its large arrays in shared memory: workers read them, not copies. */
function shareData<T extends { train: Dataset; validation?: Dataset }>(input: T): T {
  const share = (ds: Dataset): Dataset => ({ ...ds, x: sharedCopy(ds.x), y: sharedCopy(ds.y) });
  return {
    ...input,
    train: share(input.train),
    validation: input.validation ? share(input.validation) : undefined,
  };
}

function sharedCopy(array: Float32Array): Float32Array {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  let copy = shared.get(array);
  if (!copy) {
    copy = new Float32Array(new SharedArrayBuffer(array.byteLength));
    copy.set(array);
    shared.set(array, copy);
  }
  return copy;
}
