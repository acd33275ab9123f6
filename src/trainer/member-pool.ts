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

/** A worker thread of the pool, its ticket flag in the CoreShare, and the fit it runs. */
interface Thread {
  worker: Worker;
  hold: SharedArrayBuffer;
  /** The id of the fit it runs, while it runs one. */
  fit?: number;
  /** The uncaught error it stopped with, if it did. */
  error?: Error;
}

/** A fit waiting for a free worker. */
interface Waiter {
  resolve: (thread: Thread) => void;
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
 *
 * A worker that dies outright (its member's code exits, it runs out of memory, it is
 * terminated) fails only the fit it was running; the pool ends its hold on the cores for it
 * and the next fit starts a fresh worker.
 */
export class MemberPool {
  private readonly idle: Thread[] = [];
  private readonly waiting: Waiter[] = [];
  private readonly all: Thread[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private started = 0;
  private closed = false;
  private readonly share: CoreShare;

  /** `logger` hears when each worker starts (at debug level). */
  constructor(
    readonly cores: number,
    private readonly backend: BackendPreference,
    private readonly logger: Logger = silentLogger,
  ) {
    this.share = new CoreShare(cores);
  }

  /** The most workers this pool runs at once: how many fits may be in flight at once. */
  get size(): number {
    return this.cores * WORKERS_PER_CORE;
  }

  /** How many worker threads this pool has started so far, counting those that stopped. */
  get workersStarted(): number {
    return this.started;
  }

  /** The worker threads running now, for tests that stop one from outside. */
  get workers(): readonly Worker[] {
    return this.all.map((t) => t.worker);
  }

  /** Fits one member on the next free worker; same answer as `memberKind(kind).fit(input)`. */
  async fit(kind: MemberKind, input: FitInput): Promise<FitOutput> {
    const thread = await this.take();
    const saveTo = await mkdtemp(join(tmpdir(), 'ensemble-lab-member-'));
    try {
      const done = await this.send(thread, kind, input, saveTo);
      if (done.result.cancelled)
        return { model: cancelledModel(done.parameters), result: done.result };
      const model = await memberKind(kind).load(saveTo);
      return { model, result: done.result, details: done.details };
    } finally {
      this.give(thread);
      await rm(saveTo, { recursive: true, force: true });
    }
  }

  /** Stops every worker; fits still running or waiting end with an error. */
  async close(): Promise<void> {
    this.closed = true;
    const closedError = new Error('the member pool was closed before a worker was free');
    for (const waiter of this.waiting.splice(0)) waiter.reject(closedError);
    await Promise.all(this.all.map((t) => t.worker.terminate()));
  }

  private start(): Thread {
    const hold = CoreShare.holdFlag();
    const data = { backend: this.backend, cores: this.cores, share: this.share.buffer, hold };
    const thread: Thread = { worker: startWorker(data), hold };
    this.started++;
    this.logger.log(
      'debug',
      `started member worker ${this.started} (at most ${this.size} at once, ${this.cores} ` +
        `computing at once; ${this.backend} backend)`,
    );
    thread.worker.on('message', (reply: WorkerReply) => this.received(reply));
    thread.worker.on('error', (error) => (thread.error = error));
    thread.worker.on('exit', (code) => this.stopped(thread, code));
    this.all.push(thread);
    return thread;
  }

  private send(
    thread: Thread,
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
      // It may have stopped while this fit made its temporary folder.
      if (!this.all.includes(thread)) return reject(this.stoppedError(thread, null, input));
      this.pending.set(id, { input, flags: view, resolve, reject });
      thread.fit = id;
      thread.worker.postMessage(request);
    }).finally(() => {
      clearInterval(poll);
      this.pending.delete(id);
      thread.fit = undefined;
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

  /**
   * A worker has exited: it leaves the pool, its hold on the cores ends (it cannot end it
   * itself), the fit it ran fails, and a fit waiting for a worker gets a fresh one.
   */
  private stopped(thread: Thread, code: number): void {
    remove(this.all, thread);
    remove(this.idle, thread);
    this.share.releaseFor(thread.hold);

    const pending = thread.fit === undefined ? undefined : this.pending.get(thread.fit);
    if (pending) pending.reject(this.stoppedError(thread, code, pending.input));
    const next = this.closed ? undefined : this.waiting.shift();
    if (next) next.resolve(this.start());
  }

  private stoppedError(thread: Thread, code: number | null, input: FitInput): Error {
    const member = `member "${input.spec.name}"`;
    if (this.closed) return new Error(`the member pool was closed while fitting ${member}`);
    const how = code === null ? 'stopped' : `stopped (exit code ${code})`;
    const why = thread.error ? `: ${thread.error.message}` : '';
    return new Error(
      `member worker ${how} while fitting ${member}${why}; look in that member's code for an ` +
        'exit and at its size for memory (the other members go on, on fresh workers)',
    );
  }

  private take(): Promise<Thread> {
    if (this.closed) return Promise.reject(new Error('the member pool is closed'));
    const thread = this.idle.pop() ?? (this.all.length < this.size ? this.start() : undefined);
    if (thread) return Promise.resolve(thread);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Back from a fit: to the next waiting fit, or idle; a worker that stopped is gone. */
  private give(thread: Thread): void {
    if (!this.all.includes(thread)) return;
    const next = this.waiting.shift();
    if (next) next.resolve(thread);
    else this.idle.push(thread);
  }
}

function remove<T>(list: T[], item: T): void {
  const at = list.indexOf(item);
  if (at >= 0) list.splice(at, 1);
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

/**
 * The array itself when it is already in shared memory, as every prepared or subset Dataset's
 * is (applyPreprocessor and subsetDataset build them there, so the trainer holds one copy of
 * the training rows, not two); otherwise a shared copy, made once per array: stacking's
 * features, say, are built by the method itself.
 */
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
