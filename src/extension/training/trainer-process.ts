import { type ChildProcess, fork } from 'node:child_process';
import type { TrainerEvent } from '../../protocol/events';
import type { Job } from '../../trainer/job';
import type { ChildMessage } from '../../trainer/main';

/** What a trainer process reports back. */
export interface TrainerProcessHandlers {
  onEvent: (event: TrainerEvent) => void;
  /** The job threw: `expected` errors are the user's to fix (a config or data mistake). */
  onError: (message: string, expected: boolean) => void;
  /** A line the process wrote to stdout or stderr (a crash's stack, a native warning). */
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface TrainerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One trainer child process running one job (src/trainer/main.ts over IPC). Training never
 * runs on the extension host's thread: a blocked host would freeze the editor.
 */
export class TrainerProcess {
  /** Settles when the process has exited. */
  readonly exited: Promise<TrainerExit>;
  private readonly child: ChildProcess;
  private killTimer: NodeJS.Timeout | undefined;

  /**
   * Forks `trainerPath` (dist/trainer.js) and sends it `job`. `killAfterMs` is how long a
   * cancelled trainer may take to stop between batches before it is killed.
   */
  constructor(
    trainerPath: string,
    job: Job,
    handlers: TrainerProcessHandlers,
    private readonly killAfterMs = 5000,
  ) {
    // Inside VS Code's extension host `process.execPath` is Electron, which this makes a Node.
    const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
    this.child = fork(trainerPath, [], { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    this.child.on('message', (message: ChildMessage) => receive(message, handlers));
    pipeLines(this.child, handlers);
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        clearTimeout(this.killTimer);
        resolve({ code, signal });
      });
    });
    this.child.send({ type: 'job', job });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Asks the trainer to stop between batches, keeping finished members; kills it if slow. */
  cancel(): void {
    if (!this.running || this.killTimer) return;
    if (this.child.connected) this.child.send({ type: 'cancel' });
    this.killTimer = setTimeout(() => this.kill(), this.killAfterMs);
  }

  /** Ends the process at once; its run then reads as interrupted. */
  kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }
}

function receive(message: ChildMessage, handlers: TrainerProcessHandlers): void {
  if (message.type === 'event') handlers.onEvent(message.event);
  else if (message.type === 'error') handlers.onError(message.message, message.expected);
}

function pipeLines(child: ChildProcess, handlers: TrainerProcessHandlers): void {
  for (const stream of ['stdout', 'stderr'] as const) {
    let pending = '';
    child[stream]?.setEncoding('utf8');
    child[stream]?.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) handlers.onOutput?.(line, stream);
    });
    child[stream]?.on('end', () => {
      if (pending.trim()) handlers.onOutput?.(pending, stream);
    });
  }
}
