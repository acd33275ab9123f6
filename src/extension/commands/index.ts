import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { RunStore } from '../../core/runs/store';
import { readColumnNames, starterConfigText, starterPath } from '../config/starter';
import { installNativeBackendCommand } from '../backend/install';
import type { PanelHost } from '../panels';
import { readRunSummary, type RunSummary } from '../runs/summary';
import { settings, storeRootFor } from '../settings';
import type { TrainingManager } from '../training/manager';
import type { ExperimentNode, ExperimentTree } from '../tree/provider';
import { ensureTrusted } from '../trust';
import { allRuns, pickConfig, pickRun } from '../workspace';
import { applyBest, resumeSweep, runSweep, sweepDirOf } from '../sweeps/commands';
import type { SweepRunner } from '../sweeps/runner';

/** What the commands share. */
export interface CommandContext {
  context: vscode.ExtensionContext;
  manager: TrainingManager;
  panels: PanelHost;
  tree: ExperimentTree;
  log: vscode.LogOutputChannel;
  sweeps: SweepRunner;
}

/** A command's argument: a tree node, a Uri (lens, explorer), a run folder path, or nothing. */
type Argument = ExperimentNode | vscode.Uri | string | undefined;

/** Registers every `ensembleLab.*` command. */
export function registerCommands(c: CommandContext): void {
  const commands: Record<string, (arg?: Argument) => unknown> = {
    'ensembleLab.trainEnsemble': (arg) => train(c, arg),
    'ensembleLab.rerun': (arg) => rerun(c, arg),
    'ensembleLab.stopRun': (arg) => stop(c, arg),
    'ensembleLab.openLeaderboard': async (arg) => {
      const run = await runOf(arg, 'Open Leaderboard');
      if (run) c.panels.openLeaderboard(run.dir);
    },
    'ensembleLab.openConfusionMatrix': async (arg) => {
      const run = await runOf(
        arg,
        'Open Confusion Matrix',
        (r) => r.manifest.status === 'completed',
      );
      if (run) c.panels.openConfusionMatrix(run.dir);
    },
    'ensembleLab.compareRuns': (arg) => compare(c, arg),
    'ensembleLab.newConfig': () => newConfig(c),
    'ensembleLab.deleteRun': (arg) => deleteRun(c, arg),
    'ensembleLab.revealRun': async (arg) => {
      const run = await runOf(arg, 'Reveal Run Folder');
      if (run) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(run.dir));
    },
    'ensembleLab.predictWithRun': (arg) => predict(c, arg),
    'ensembleLab.showLog': () => c.log.show(),
    'ensembleLab.refresh': () => c.tree.reload(),
    'ensembleLab.runSweep': async (arg) => {
      const uri = await configOf(arg);
      if (uri) await runSweep(sweepContext(c), uri);
    },
    'ensembleLab.openSweep': async (arg) => {
      const dir = await sweepDirOf(arg);
      if (dir) c.panels.openSweep(dir);
    },
    'ensembleLab.applyBestTrial': (arg) => applyBest(sweepContext(c), arg),
    'ensembleLab.resumeSweep': (arg) => resumeSweep(sweepContext(c), arg),
    'ensembleLab.installNativeBackend': () => installNativeBackendCommand(c.log),
  };
  for (const [id, run] of Object.entries(commands)) {
    c.context.subscriptions.push(
      vscode.commands.registerCommand(id, (arg?: Argument) => guard(c, id, () => run(arg))),
    );
  }
}

function sweepContext(c: CommandContext): Parameters<typeof runSweep>[0] {
  return { sweeps: c.sweeps, panels: c.panels, log: c.log, refresh: () => c.tree.refresh() };
}

/** Runs a command; an unexpected failure is one notification with a "Show Log" button. */
async function guard(c: CommandContext, id: string, run: () => unknown): Promise<void> {
  try {
    await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    c.log.error(`${id} failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
    const choice = await vscode.window.showErrorMessage(`Ensemble Lab: ${message}`, 'Show Log');
    if (choice) c.log.show();
  }
}

async function train(c: CommandContext, arg: Argument): Promise<void> {
  if (!ensureTrusted('train')) return;
  const uri = await configOf(arg);
  if (!uri) return;
  const document = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === uri.fsPath);
  if (document?.isDirty) await document.save();

  const job = c.manager.train({
    configPath: uri.fsPath,
    storeRoot: storeRootFor(uri),
    backend: settings.backend(),
    parallel: settings.parallel(),
  });
  const queued = job.state === 'queued' ? ', queued' : '';
  c.log.info(
    `Train ${vscode.workspace.asRelativePath(uri)} (backend ${settings.backend()})${queued}`,
  );
  c.tree.refresh(0);
}

/** Trains a run's exact config (as it was resolved and seeded) again, as a new run. */
async function rerun(c: CommandContext, arg: Argument): Promise<void> {
  if (!ensureTrusted('train')) return;
  const run = await runOf(arg, 'Re-run', (r) => r.manifest.status !== 'running');
  if (!run) return;

  const storeRoot = dirname(dirname(run.dir));
  const { configPath, id } = run.manifest;
  const backend = settings.backend();
  c.manager.train({ configPath, storeRoot, backend, parallel: settings.parallel(), rerunOf: id });
  c.log.info(`Re-run ${id} (backend ${settings.backend()})`);
  c.tree.refresh(0);
}

async function configOf(arg: Argument): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'object' && arg.kind === 'config') return vscode.Uri.file(arg.entry.path);
  if (typeof arg === 'object' && arg.kind === 'run')
    return vscode.Uri.file(arg.run.manifest.configPath);
  const active = vscode.window.activeTextEditor?.document;
  if (active?.fileName.endsWith('.ensemble.json')) return active.uri;
  return pickConfig('Train Ensemble');
}

async function runOf(
  arg: Argument,
  title: string,
  filter?: (run: RunSummary) => boolean,
): Promise<RunSummary | undefined> {
  if (typeof arg === 'string') return readRunSummary(arg);
  if (
    typeof arg === 'object' &&
    !(arg instanceof vscode.Uri) &&
    (arg.kind === 'run' || arg.kind === 'member')
  ) {
    return readRunSummary(arg.run.dir) ?? arg.run;
  }
  return pickRun(title, filter);
}

/** Two finished runs side by side in one leaderboard: the given (or picked) one, then another. */
async function compare(c: CommandContext, arg: Argument): Promise<void> {
  const finished = (r: RunSummary): boolean => r.manifest.status === 'completed';
  const first = await runOf(arg, 'Compare Runs: the first run', finished);
  if (!first) return;

  const other = (r: RunSummary): boolean => finished(r) && r.dir !== first.dir;
  if (!allRuns().some(other)) {
    void vscode.window.showInformationMessage(
      `Ensemble Lab: ${first.manifest.id} is the only completed run; train another to compare.`,
    );
    return;
  }
  const second = await pickRun(`Compare ${first.manifest.id} with`, other);
  if (second) c.panels.openLeaderboard(first.dir, second.dir);
}

async function stop(c: CommandContext, arg: Argument): Promise<void> {
  const active = c.manager.active();
  let job =
    typeof arg === 'object' && !(arg instanceof vscode.Uri) && arg.kind === 'queued'
      ? arg.job
      : undefined;
  if (typeof arg === 'object' && !(arg instanceof vscode.Uri) && arg.kind === 'run')
    job = c.manager.findByRunDir(arg.run.dir);
  if (!job && active.length === 1) job = active[0];
  if (!job && active.length > 1) {
    const items = active.map((j) => ({
      label: j.runId ?? `queued: ${vscode.workspace.asRelativePath(j.configPath)}`,
      description: j.state,
      job: j,
    }));
    job = (await vscode.window.showQuickPick(items, { title: 'Stop Run' }))?.job;
  }
  if (!job) {
    if (active.length === 0)
      void vscode.window.showInformationMessage('Ensemble Lab: nothing is training.');
    return;
  }
  const result = c.manager.stop(job);
  c.log.info(`Stop ${job.runId ?? `job ${job.id}`}: ${result}`);
  c.tree.refresh(0);
}

async function newConfig(c: CommandContext): Promise<void> {
  const [data] =
    (await vscode.window.showOpenDialog({
      title: 'Pick the data to train on (its last column is the target)',
      canSelectMany: false,
      filters: { 'Data files': ['csv', 'parquet'] },
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    })) ?? [];
  if (!data) return;

  const target = starterPath(data.fsPath);
  if (existsSync(target)) {
    void vscode.window.showWarningMessage(
      `Ensemble Lab: ${vscode.workspace.asRelativePath(target)} already exists; open it, or rename it to make a new one.`,
    );
    return;
  }
  await writeFile(target, starterConfigText(data.fsPath, await readColumnNames(data.fsPath)), {
    flag: 'wx',
  });
  c.log.info(`New config ${target}`);
  await vscode.window.showTextDocument(vscode.Uri.file(target));
  c.tree.refresh(0);
}

async function deleteRun(c: CommandContext, arg: Argument): Promise<void> {
  const run = await runOf(arg, 'Delete Run', (r) => r.manifest.status !== 'running');
  if (!run) return;
  const answer = await vscode.window.showWarningMessage(
    `Delete run ${run.manifest.id} and its trained models?`,
    { modal: true, detail: 'Its folder is removed from disk; this cannot be undone.' },
    'Delete',
  );
  if (answer !== 'Delete') return;
  await new RunStore(dirname(dirname(run.dir))).delete(run.manifest.id);
  c.log.info(`Deleted run ${run.manifest.id}`);
  c.tree.refresh(0);
}

async function predict(c: CommandContext, arg: Argument): Promise<void> {
  if (!ensureTrusted('predict')) return;
  const run = await runOf(arg, 'Predict with Run', (r) => r.manifest.status === 'completed');
  if (!run) return;
  const [file] =
    (await vscode.window.showOpenDialog({
      title: `Rows to predict with ${run.manifest.id}`,
      filters: { 'Data files': ['csv', 'parquet'] },
    })) ?? [];
  if (!file) return;

  const output = `${file.fsPath}.predictions.csv`;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Predicting with ${run.manifest.id}` },
    () =>
      runCli(c, [
        'predict',
        run.manifest.id,
        file.fsPath,
        '--store',
        dirname(dirname(run.dir)),
        '--backend',
        settings.backend(),
        '--output',
        output,
      ]),
  );
  const choice = await vscode.window.showInformationMessage(
    `Ensemble Lab: predictions written to ${vscode.workspace.asRelativePath(output)}.`,
    'Open',
  );
  if (choice) await vscode.window.showTextDocument(vscode.Uri.file(output));
}

/** Runs dist/cli.js in a child process (TensorFlow.js stays out of the extension host). */
function runCli(c: CommandContext, args: string[]): Promise<void> {
  const cli = c.context.asAbsolutePath(join('dist', 'cli.js'));
  const started = Date.now();
  const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { env, maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        c.log.info(`ensemble-lab ${args[0]} took ${Date.now() - started} ms`);
        if (stderr.trim()) c.log.info(stderr.trim());
        if (error) reject(new Error(lastLine(stderr) || error.message));
        else resolve();
      },
    );
  });
}

function lastLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('    at '))
      .pop() ?? ''
  );
}
