import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Logger } from '../log';

/** How one `npm` run ended. */
export interface NpmOutcome {
  /** npm's exit code; null when it was stopped or could not start. */
  code: number | null;
  timedOut: boolean;
  cancelled: boolean;
  /** Set when npm could not be started at all (ENOENT: not on PATH). */
  spawnError?: NodeJS.ErrnoException;
}

/** Options of one npm run. */
export interface NpmRun {
  args: string[];
  cwd: string;
  logger: Logger;
  /** npm's output is appended here as it comes, besides going to the logger. */
  logFile: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Runs the user's `npm` with `args`, streaming each line of its output to the logger (info)
 * and to `logFile`. It is stopped, with the whole process tree its install scripts started,
 * when `timeoutMs` passes or `signal` aborts.
 */
export async function runNpm(run: NpmRun): Promise<NpmOutcome> {
  const log = createWriteStream(run.logFile, { flags: 'a' });
  log.write(`$ npm ${run.args.join(' ')}\n`);
  try {
    return await new Promise<NpmOutcome>((resolve) => watch(startNpm(run), run, log, resolve));
  } finally {
    await new Promise<void>((done) => log.end(done));
  }
}

function startNpm(run: NpmRun): ChildProcess {
  const windows = process.platform === 'win32';
  return spawn(windows ? 'npm.cmd' : 'npm', run.args, {
    cwd: run.cwd,
    // npm.cmd runs only through a shell on Windows; elsewhere npm leads its own process group,
    // so a timeout can stop the install scripts it started too.
    shell: windows,
    detached: !windows,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined },
  });
}

function watch(
  child: ChildProcess,
  run: NpmRun,
  log: WriteStream,
  resolve: (outcome: NpmOutcome) => void,
): void {
  const state = { timedOut: false, cancelled: false };
  const stop = (why: 'timedOut' | 'cancelled'): void => {
    state[why] = true;
    stopTree(child);
  };
  const timer = setTimeout(() => stop('timedOut'), run.timeoutMs);
  const onAbort = (): void => stop('cancelled');
  run.signal?.addEventListener('abort', onAbort, { once: true });
  if (run.signal?.aborted) onAbort();

  forwardLines(child, run.logger, log);
  let finished = false;
  const finish = (outcome: NpmOutcome): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    run.signal?.removeEventListener('abort', onAbort);
    resolve(outcome);
  };
  child.once('error', (error) => finish({ code: null, ...state, spawnError: error }));
  child.once('close', (code) => finish({ code, ...state }));
  // A script that outlives npm keeps its pipes open, and 'close' would never come.
  child.once('exit', (code) => {
    setTimeout(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
      finish({ code, ...state });
    }, 2000).unref();
  });
}

function forwardLines(child: ChildProcess, logger: Logger, log: WriteStream): void {
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      log.write(chunk);
      const lines = (pending + chunk).split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) logger.log('info', `npm: ${line}`);
    });
    stream?.on('end', () => pending.trim() && logger.log('info', `npm: ${pending}`));
  }
}

/**
 * Stops npm and what it started: its process group on POSIX (SIGTERM, then SIGKILL if it is
 * still there 5 s later: npm waits for a running script), `taskkill /T` on Windows.
 */
function stopTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  if (process.platform === 'win32') {
    spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore' });
    return;
  }
  signalGroup(child, 'SIGTERM');
  setTimeout(() => signalGroup(child, 'SIGKILL'), 5000).unref();
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already, or was never made: stop npm itself.
    if (child.exitCode === null) child.kill(signal);
  }
}
