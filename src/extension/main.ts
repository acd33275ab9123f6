import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { registerDiagnostics } from './diagnostics/provider';
import { ConfigLenses } from './lenses/provider';
import { createPanelHost } from './panels';
import { storeRoots } from './settings';
import { TrainingManager } from './training/manager';
import { showTraining } from './training/ui';
import { ExperimentTree } from './tree/provider';
import { SweepRunner } from './sweeps/runner';
import { CONFIG_GLOB } from './workspace';

/**
 * Activates Ensemble Lab. Nothing here loads TensorFlow.js: training and prediction run in
 * child processes (dist/trainer.js, dist/cli.js).
 */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Ensemble Lab', { log: true });
  const panels = createPanelHost(context, log);
  const manager = new TrainingManager({ trainerPath: context.asAbsolutePath('dist/trainer.js') });
  const tree = new ExperimentTree(manager, log);
  const lenses = new ConfigLenses();
  const sweeps = new SweepRunner(context.asAbsolutePath('dist/cli.js'), log);
  context.subscriptions.push(
    log,
    panels,
    { dispose: () => manager.dispose() },
    tree,
    lenses,
    sweeps,
  );

  const view = vscode.window.createTreeView('ensembleLab.experiments', {
    treeDataProvider: tree,
    showCollapseAll: true,
  });
  const selector = { pattern: '**/*.ensemble.json' };
  context.subscriptions.push(
    view,
    vscode.languages.registerCodeLensProvider(selector, lenses),
    showTraining(manager, panels, log),
  );
  registerDiagnostics(context);
  registerCommands({ context, manager, panels, tree, log, sweeps });
  watchForChanges(context, manager, tree, lenses, log);
  watchSweeps(context, panels, tree);

  void vscode.commands.executeCommand(
    'setContext',
    'ensembleLab.trusted',
    vscode.workspace.isTrusted,
  );
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void vscode.commands.executeCommand('setContext', 'ensembleLab.trusted', true);
      log.info('Workspace trusted: training is available.');
    }),
  );
  reattach(manager, log);
  void tree.reload();
  log.info(
    `Ensemble Lab activated${vscode.workspace.isTrusted ? '' : ' in Restricted Mode: runs can be read, not trained'}`,
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions; trainers keep going (see dispose).
}

/** Follows runs still training after a window reload (or started from the CLI). */
function reattach(manager: TrainingManager, log: vscode.LogOutputChannel): void {
  for (const root of storeRoots()) {
    for (const job of manager.reattach(root))
      log.info(`Following run ${job.runId}, still training`);
  }
}

function watchForChanges(
  context: vscode.ExtensionContext,
  manager: TrainingManager,
  tree: ExperimentTree,
  lenses: ConfigLenses,
  log: vscode.LogOutputChannel,
): void {
  const onRunsChanged = (): void => {
    tree.refresh();
    lenses.refresh();
  };
  const configs = vscode.workspace.createFileSystemWatcher(CONFIG_GLOB);
  const runs = vscode.workspace.createFileSystemWatcher('**/runs/*/run.json');
  for (const watcher of [configs, runs]) {
    watcher.onDidCreate(onRunsChanged);
    watcher.onDidChange(onRunsChanged);
    watcher.onDidDelete(onRunsChanged);
  }
  // A run started elsewhere (the CLI) shows up as a new run.json: follow it live too.
  runs.onDidCreate(() => reattach(manager, log));
  const stopListening = manager.listen({
    onChange: onRunsChanged,
    // Epochs only move the progress text: redraw without reading the files again.
    onEvent: (_job, event) => {
      if (event.type === 'member-epoch') tree.redraw();
      else if (event.type !== 'log') onRunsChanged();
    },
  });
  context.subscriptions.push(
    configs,
    runs,
    { dispose: stopListening },
    vscode.workspace.onDidSaveTextDocument(
      (d) => d.fileName.endsWith('.ensemble.json') && tree.refresh(),
    ),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('ensembleLab')) onRunsChanged();
    }),
  );
  // Relative times ("3 min ago") age; redraw them each minute.
  const timer = setInterval(onRunsChanged, 60_000);
  context.subscriptions.push({ dispose: () => clearInterval(timer) });
}

/** A sweep.json written (by a sweep here or from the CLI): the tree and its panel follow. */
function watchSweeps(
  context: vscode.ExtensionContext,
  panels: ReturnType<typeof createPanelHost>,
  tree: ExperimentTree,
): void {
  const watcher = vscode.workspace.createFileSystemWatcher('**/sweeps/*/sweep.json');
  const onChange = (uri: vscode.Uri): void => {
    tree.refresh();
    panels.onSweepChanged(dirname(uri.fsPath));
  };
  watcher.onDidCreate(onChange);
  watcher.onDidChange(onChange);
  watcher.onDidDelete(() => tree.refresh());
  context.subscriptions.push(watcher);
}
