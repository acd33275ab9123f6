import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PanelHost } from '../panels';
import { settings, storeRootFor } from '../settings';
import { ensureTrusted } from '../trust';
import { allSweeps } from '../workspace';
import { applyBestTrial } from './apply-best';
import type { SweepRunner } from './runner';
import { readSweepState } from './state';

/** What the sweep commands share. */
export interface SweepCommandContext {
  sweeps: SweepRunner;
  panels: PanelHost;
  log: vscode.LogOutputChannel;
  /** Reloads the experiment tree. */
  refresh: () => void;
}

/**
 * Runs the sweep of a config in a child process, with a cancellable progress notification;
 * with `resume`, goes on with that stopped sweep of the config instead.
 */
export async function runSweep(
  c: SweepCommandContext,
  uri: vscode.Uri,
  resume?: string,
): Promise<void> {
  if (!ensureTrusted('run a sweep')) return;
  if (c.sweeps.running) {
    void vscode.window.showInformationMessage('Ensemble Lab: a sweep is already running.');
    return;
  }
  const document = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === uri.fsPath);
  if (document?.isDirty) await document.save();

  const storeRoot = storeRootFor(uri);
  const request = {
    configPath: uri.fsPath,
    storeRoot,
    backend: settings.backend(),
    parallel: settings.parallel(),
    resume,
  };
  const title = `Sweep ${vscode.workspace.asRelativePath(uri)}`;
  const exit = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (progress, token) => {
      token.onCancellationRequested(() => c.sweeps.stop());
      return c.sweeps.run(request, (line) => {
        progress.report({ message: line.split('  ')[0] });
        c.refresh();
      });
    },
  );
  c.refresh();
  await reportExit(c, exit, storeRoot);
}

async function reportExit(
  c: SweepCommandContext,
  exit: Awaited<ReturnType<SweepRunner['run']>>,
  storeRoot: string,
): Promise<void> {
  const open = (): void => {
    if (exit.sweepId) c.panels.openSweep(join(storeRoot, 'sweeps', exit.sweepId));
  };
  if (exit.code === 0) {
    const choice = await vscode.window.showInformationMessage(
      'Ensemble Lab: sweep finished.',
      'Open Sweep',
    );
    if (choice) open();
  } else if (exit.code === 130 || exit.code === null) {
    void vscode.window.showInformationMessage('Ensemble Lab: sweep stopped; it can be resumed.');
  } else {
    const choice = await vscode.window.showErrorMessage(
      `Ensemble Lab: ${exit.lastLine.replace(/^error: /, '') || 'the sweep failed'}`,
      'Show Log',
    );
    if (choice) c.log.show();
  }
}

/** The sweep folder a command was given (a tree node or a path), or one the user picks. */
export async function sweepDirOf(arg: unknown): Promise<string | undefined> {
  if (typeof arg === 'string') return arg;
  if (isSweepNode(arg)) return arg.sweep.dir;
  const items = allSweeps().map((s) => ({
    label: s.manifest.id,
    description: s.manifest.status,
    detail: vscode.workspace.asRelativePath(s.manifest.configPath),
    dir: s.dir,
  }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage(
      'There are no sweeps yet; run one on a config with a "sweep" section.',
    );
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title: 'Pick a sweep' }))?.dir;
}

/** Goes on with a stopped (interrupted, cancelled or failed) sweep. */
export async function resumeSweep(c: SweepCommandContext, arg: unknown): Promise<void> {
  const dir = await sweepDirOf(arg);
  if (!dir) return;
  const { manifest } = readSweepState(dir);
  await runSweep(c, vscode.Uri.file(manifest.configPath), manifest.id);
}

/** Applies the best trial of a sweep to its config. */
export async function applyBest(c: SweepCommandContext, arg: unknown): Promise<void> {
  const dir = await sweepDirOf(arg);
  if (dir) await applyBestTrial(dir, c.log);
}

function isSweepNode(arg: unknown): arg is { kind: 'sweep'; sweep: { dir: string } } {
  return typeof arg === 'object' && arg !== null && (arg as { kind?: unknown }).kind === 'sweep';
}
