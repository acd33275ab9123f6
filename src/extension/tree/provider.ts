import * as vscode from 'vscode';
import { lastRunOf, samePath } from '../lenses/model';
import type { MemberSummary, RunSummary } from '../runs/summary';
import type { TrainingJob, TrainingManager } from '../training/manager';
import type { TrialRecord } from '../../core/sweep/manifest';
import { type SweepSummary, sweepView, trialView } from '../sweeps/items';
import { allRuns, allSweeps, findConfigs } from '../workspace';
import {
  type ConfigEntry,
  configView,
  type ItemView,
  memberView,
  queuedView,
  runView,
} from './items';

/** The rows of the experiment tree. Commands receive these as their argument. */
export type ExperimentNode =
  | { kind: 'config'; entry: ConfigEntry; runs: RunSummary[] }
  | { kind: 'run'; run: RunSummary }
  | { kind: 'queued'; job: TrainingJob; position: number }
  | { kind: 'member'; run: RunSummary; member: MemberSummary }
  | { kind: 'sweep'; sweep: SweepSummary }
  | { kind: 'trial'; sweep: SweepSummary; trial: TrialRecord; run?: RunSummary };

/**
 * Configs of the workspace, their runs (newest first) and each run's members. It reloads from
 * the files on refresh(), which the file watchers and trainer events call (debounced).
 */
export class ExperimentTree implements vscode.TreeDataProvider<ExperimentNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExperimentNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private configs: ConfigEntry[] = [];
  private runs: RunSummary[] = [];
  private sweeps: SweepSummary[] = [];
  private timer: NodeJS.Timeout | undefined;
  private loaded = false;

  constructor(
    private readonly manager: TrainingManager,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Reloads configs and runs after `delayMs`, once for a burst of calls. */
  refresh(delayMs = 200): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), delayMs);
  }

  /** Redraws the rows (live progress) without reading the files again. */
  redraw(): void {
    this.changed.fire(undefined);
  }

  /** The runs as last loaded, newest first. */
  get knownRuns(): RunSummary[] {
    return this.runs;
  }

  async reload(): Promise<void> {
    const started = Date.now();
    try {
      this.configs = await findConfigs();
      this.runs = allRuns();
      this.sweeps = allSweeps();
    } catch (error) {
      this.log.error(`Could not read the experiments: ${String(error)}`);
    }
    this.log.trace(
      `Experiments: ${this.configs.length} configs, ${this.runs.length} runs in ${Date.now() - started} ms`,
    );
    this.changed.fire(undefined);
    if (!this.loaded) {
      this.loaded = true;
      void vscode.commands.executeCommand('setContext', 'ensembleLab.treeLoaded', true);
    }
    void vscode.commands.executeCommand(
      'setContext',
      'ensembleLab.hasConfigs',
      this.configs.length > 0,
    );
  }

  getChildren(node?: ExperimentNode): ExperimentNode[] {
    if (!node) return this.configNodes();
    if (node.kind === 'config')
      return [
        ...this.queuedNodes(node.entry.path),
        ...this.sweepsOf(node.entry.path),
        ...node.runs.map((run) => ({ kind: 'run' as const, run })),
      ];
    if (node.kind === 'run')
      return node.run.members.map((member) => ({ kind: 'member' as const, run: node.run, member }));
    if (node.kind === 'sweep') return this.trialNodes(node.sweep);
    return [];
  }

  getTreeItem(node: ExperimentNode): vscode.TreeItem {
    const view = this.viewOf(node);
    const state = view.expandable
      ? vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(view.label, state);
    Object.assign(item, {
      id: view.id,
      description: view.description,
      tooltip: view.tooltip,
      contextValue: view.contextValue,
    });
    item.iconPath = new vscode.ThemeIcon(
      view.icon,
      view.iconColor ? new vscode.ThemeColor(view.iconColor) : undefined,
    );
    item.command = clickCommand(node);
    if (node.kind === 'config') item.resourceUri = vscode.Uri.file(node.entry.path);
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
  }

  /** Runs that are sweep trials are listed under their sweep, not under the config. */
  private configNodes(): ExperimentNode[] {
    return this.configs.map((entry) => ({
      kind: 'config' as const,
      entry,
      runs: this.runs.filter(
        (run) => !run.manifest.sweep && samePath(run.manifest.configPath, entry.path),
      ),
    }));
  }

  private sweepsOf(configPath: string): ExperimentNode[] {
    return this.sweeps
      .filter((sweep) => samePath(sweep.manifest.configPath, configPath))
      .map((sweep) => ({ kind: 'sweep' as const, sweep }));
  }

  private trialNodes(sweep: SweepSummary): ExperimentNode[] {
    return sweep.manifest.trials.map((trial) => ({
      kind: 'trial' as const,
      sweep,
      trial,
      run: this.runs.find((run) => run.manifest.id === trial.runId),
    }));
  }

  private queuedNodes(configPath: string): ExperimentNode[] {
    const queued = this.manager.active().filter((job) => job.state === 'queued');
    return queued
      .map((job, index) => ({ kind: 'queued' as const, job, position: index + 1 }))
      .filter((node) => samePath(node.job.configPath, configPath));
  }

  private viewOf(node: ExperimentNode): ItemView {
    switch (node.kind) {
      case 'config':
        return configView(
          node.entry,
          node.runs.length + this.queuedNodes(node.entry.path).length,
          this.sweepsOf(node.entry.path).length,
        );
      case 'run':
        return runView(node.run, Date.now(), this.manager.findByRunDir(node.run.dir)?.progress);
      case 'queued':
        return queuedView(node.job.id, node.position);
      case 'member':
        return memberView(node.run, node.member);
      case 'sweep':
        return sweepView(node.sweep, Date.now());
      case 'trial':
        return trialView(node.sweep, node.trial);
    }
  }

  /** The newest run of a config, as last loaded. */
  lastRunOf(configPath: string): RunSummary | undefined {
    return lastRunOf(configPath, this.runs);
  }
}

function clickCommand(node: ExperimentNode): vscode.Command | undefined {
  if (node.kind === 'config') {
    return {
      command: 'vscode.open',
      title: 'Open Config',
      arguments: [vscode.Uri.file(node.entry.path)],
    };
  }
  if (node.kind === 'run') {
    return { command: 'ensembleLab.openLeaderboard', title: 'Open Leaderboard', arguments: [node] };
  }
  if (node.kind === 'sweep') {
    return { command: 'ensembleLab.openSweep', title: 'Open Sweep', arguments: [node] };
  }
  if (node.kind === 'trial' && node.run) {
    const run = node.run.dir;
    return { command: 'ensembleLab.openLeaderboard', title: 'Open Leaderboard', arguments: [run] };
  }
  return undefined;
}
