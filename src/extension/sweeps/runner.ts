import { type ChildProcess, spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { sweepArgs, type SweepRequest } from './sweep-args';

export type { SweepRequest } from './sweep-args';

/** How a sweep process ended: its sweep id (from its `--json` output) and exit code. */
export interface SweepExit {
  code: number | null;
  sweepId?: string;
  /** The last line it wrote on standard error: the reason, when it failed. */
  lastLine: string;
}

/**
 * Runs `ensemble-lab sweep` (dist/cli.js) in a child process, one sweep at a time: training
 * never runs on the extension host's thread. Each finished trial's line is logged and shown
 * as progress; Stop sends SIGINT, which cancels every running trial (the sweep can be resumed).
 */
export class SweepRunner implements vscode.Disposable {
  private child: ChildProcess | undefined;

  constructor(
    private readonly cliPath: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts a sweep; `onTrial` gets each trial's progress line. */
  run(request: SweepRequest, onTrial: (line: string) => void): Promise<SweepExit> {
    const args = sweepArgs(request);
    const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
    const child = spawn(process.execPath, [this.cliPath, ...args], { env });
    this.child = child;
    this.log.info(`Sweep ${vscode.workspace.asRelativePath(request.configPath)} started`);

    return new Promise((resolve) => {
      const state = { stdout: '', lastLine: '' };
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (state.stdout += chunk));
      onLines(child, (line) => {
        state.lastLine = line;
        if (line.startsWith('trial ')) onTrial(line);
        this.log.info(`[sweep] ${line}`);
      });
      child.on('close', (code) => {
        this.child = undefined;
        resolve({ code, sweepId: sweepIdOf(state.stdout), lastLine: state.lastLine });
      });
    });
  }

  /** Cancels every running trial and stops the sweep; it can be resumed from the CLI. */
  stop(): void {
    this.child?.kill('SIGINT');
  }

  dispose(): void {
    this.stop();
  }
}

function onLines(child: ChildProcess, handle: (line: string) => void): void {
  let pending = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) handle(line);
  });
}

function sweepIdOf(stdout: string): string | undefined {
  try {
    const parsed = JSON.parse(stdout) as { sweep?: { id?: unknown } };
    return typeof parsed.sweep?.id === 'string' ? parsed.sweep.id : undefined;
  } catch {
    return undefined;
  }
}
