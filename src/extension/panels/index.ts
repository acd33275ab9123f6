import { basename, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { TrainerEvent } from '../../protocol/events';
import {
  parsePanelMessage,
  parseViewState,
  type HostMessage,
  type PanelKind,
  type PanelMessage,
  type PanelState,
} from '../../protocol/messages';
import { applyBestTrial } from '../sweeps/apply-best';
import { readSweepState, trialRunDir } from '../sweeps/state';
import { makeNonce, panelHtml } from './html';
import { readConfusionState, readLeaderboardState } from './state';

export interface PanelHost extends vscode.Disposable {
  /** Opens (or reveals) the leaderboard of a run; `compareWith` adds a second run side by side. */
  openLeaderboard(runDir: string, compareWith?: string): void;
  /** Opens (or reveals) the confusion-matrix panel of a run. */
  openConfusionMatrix(runDir: string): void;
  /** Live updates while a run trains; the panel of that run (if open) applies them. */
  onTrainerEvent(runDir: string, event: TrainerEvent): void;
  /** Opens (or reveals) the panel of a sweep. */
  openSweep(sweepDir: string): void;
  /** A sweep's sweep.json changed: its panel (if open) gets the new state. */
  onSweepChanged(sweepDir: string): void;
}

const VIEW_TYPES: Record<PanelKind, string> = {
  leaderboard: 'ensembleLab.leaderboard',
  confusion: 'ensembleLab.confusionMatrix',
  sweep: 'ensembleLab.sweep',
};

/** Events after which the run folder holds something new for every panel: re-send state. */
const RUN_ENDS = new Set(['run-done', 'run-failed', 'run-cancelled', 'run-pruned']);

/** One open panel and what it shows. */
interface OpenPanel {
  kind: PanelKind;
  runDir: string;
  compareWith?: string;
  panel: vscode.WebviewPanel;
  /** The page said `ready` and has not been hidden since: posting now is safe. */
  ready: boolean;
  /** A model to show once the confusion panel is ready. */
  pendingSelect?: string;
  /** A refused message was logged already; later ones are not repeated. */
  warned: boolean;
  listeners: vscode.Disposable[];
}

/**
 * Creates the host of the leaderboard, confusion-matrix and sweep panels: one panel per (kind,
 * run or sweep),
 * restored after a window reload by a serializer per view type. Call once in activate.
 */
export function createPanelHost(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
): PanelHost {
  const host = new Panels(context, log);
  context.subscriptions.push(
    host,
    vscode.window.registerWebviewPanelSerializer(
      VIEW_TYPES.leaderboard,
      host.serializer('leaderboard'),
    ),
    vscode.window.registerWebviewPanelSerializer(
      VIEW_TYPES.confusion,
      host.serializer('confusion'),
    ),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPES.sweep, host.serializer('sweep')),
  );
  return host;
}

class Panels implements PanelHost {
  private readonly panels = new Map<string, OpenPanel>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  openLeaderboard(runDir: string, compareWith?: string): void {
    const existing = this.panels.get(panelKey('leaderboard', runDir));
    if (existing) {
      const wanted = compareWith && resolve(compareWith);
      if (wanted !== existing.compareWith) {
        existing.compareWith = wanted;
        existing.panel.title = title('leaderboard', existing.runDir, wanted);
        this.render(existing);
      }
      existing.panel.reveal();
      return;
    }
    this.attach(
      this.createPanel('leaderboard', runDir, compareWith),
      'leaderboard',
      runDir,
      compareWith,
    );
  }

  openConfusionMatrix(runDir: string): void {
    this.openConfusion(runDir);
  }

  openSweep(sweepDir: string): void {
    const existing = this.panels.get(panelKey('sweep', sweepDir));
    if (existing) existing.panel.reveal();
    else this.attach(this.createPanel('sweep', sweepDir), 'sweep', sweepDir);
  }

  onSweepChanged(sweepDir: string): void {
    const open = this.panels.get(panelKey('sweep', sweepDir));
    if (open) this.sendState(open);
  }

  onTrainerEvent(runDir: string, event: TrainerEvent): void {
    const dir = resolve(runDir);
    for (const open of this.panels.values()) {
      if (open.runDir !== dir && open.compareWith !== dir) continue;
      if (RUN_ENDS.has(event.type)) this.sendState(open);
      else if (open.kind === 'leaderboard') this.post(open, { type: 'event', event });
    }
  }

  /** Restores a panel after a window reload from the run folder its page saved. */
  serializer(kind: PanelKind): vscode.WebviewPanelSerializer {
    return {
      deserializeWebviewPanel: async (panel, state) => {
        const view = parseViewState(state);
        if (!view) {
          this.log.warn(`a ${kind} panel came back from a reload without its run; closing it`);
          panel.dispose();
          return;
        }
        panel.webview.options = this.webviewOptions();
        this.attach(panel, kind, view.runDir, view.compareWith);
      },
    };
  }

  dispose(): void {
    for (const open of [...this.panels.values()]) open.panel.dispose();
    this.panels.clear();
  }

  private openConfusion(runDir: string, select?: string): void {
    const existing = this.panels.get(panelKey('confusion', runDir));
    const open =
      existing ?? this.attach(this.createPanel('confusion', runDir), 'confusion', runDir);
    if (select && open.ready) this.post(open, { type: 'select', name: select });
    else if (select) open.pendingSelect = select;
    if (existing) existing.panel.reveal();
  }

  private createPanel(kind: PanelKind, runDir: string, compareWith?: string): vscode.WebviewPanel {
    return vscode.window.createWebviewPanel(
      VIEW_TYPES[kind],
      title(kind, runDir, compareWith),
      vscode.ViewColumn.Active,
      this.webviewOptions(),
    );
  }

  /** Scripts on, and only our bundles and styles readable: nothing else of the disk. */
  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    const root = this.context.extensionUri;
    return {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(root, 'dist', 'webview'),
        vscode.Uri.joinPath(root, 'media'),
      ],
    };
  }

  private attach(
    panel: vscode.WebviewPanel,
    kind: PanelKind,
    runDir: string,
    compareWith?: string,
  ): OpenPanel {
    const open: OpenPanel = {
      kind,
      runDir: resolve(runDir),
      compareWith: compareWith && resolve(compareWith),
      panel,
      ready: false,
      warned: false,
      listeners: [],
    };
    open.listeners.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(open, raw)),
      panel.onDidChangeViewState(() => this.onViewState(open)),
      panel.onDidDispose(() => this.forget(open)),
    );
    this.panels.set(panelKey(kind, open.runDir), open);
    this.render(open);
    this.log.info(`${kind} of ${basename(open.runDir)} opened`);
    return open;
  }

  /** Loads the page; the state follows when it says `ready`. */
  private render(open: OpenPanel): void {
    const webview = open.panel.webview;
    const asUri = (...parts: string[]): string =>
      webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, ...parts)).toString();

    open.ready = false;
    webview.html = panelHtml({
      kind: open.kind,
      title: open.panel.title,
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: asUri('dist', 'webview', `${open.kind}.js`),
      styleUri: asUri('media', 'panels.css'),
      runDir: open.runDir,
      compareWith: open.compareWith,
    });
  }

  /**
   * A hidden panel's page is unloaded (no retainContextWhenHidden); when shown it loads again
   * and says `ready` again, and gets the whole state then. Until then, nothing is posted.
   */
  private onViewState(open: OpenPanel): void {
    if (!open.panel.visible) open.ready = false;
  }

  private receive(open: OpenPanel, raw: unknown): void {
    const message = parsePanelMessage(raw);
    if (!message) {
      if (!open.warned)
        this.log.warn(`${open.kind} panel sent a message that is not ours; ignored`);
      open.warned = true;
      return;
    }
    this.handle(open, message);
  }

  private handle(open: OpenPanel, message: PanelMessage): void {
    switch (message.type) {
      case 'ready':
        open.ready = true;
        this.sendState(open);
        if (open.pendingSelect) this.post(open, { type: 'select', name: open.pendingSelect });
        open.pendingSelect = undefined;
        return;
      case 'selectMember':
        if (this.isPanelRun(open, message.runDir)) this.openConfusion(message.runDir, message.name);
        return;
      case 'openRun':
        if (this.isPanelRun(open, message.runDir)) this.openLeaderboard(message.runDir);
        return;
      case 'openTrial':
        if (this.isPanelRun(open, message.sweepDir)) this.openTrial(open.runDir, message.trial);
        return;
      case 'applyBest':
        if (this.isPanelRun(open, message.sweepDir)) this.applyBest(open.runDir);
        return;
    }
  }

  private openTrial(sweepDir: string, trial: number): void {
    const runDir = trialRunDir(readSweepState(sweepDir), trial);
    if (runDir) this.openLeaderboard(runDir);
    else this.log.warn(`trial ${trial} of ${basename(sweepDir)} has no run yet`);
  }

  private applyBest(sweepDir: string): void {
    void applyBestTrial(sweepDir, this.log).then(undefined, (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`Apply best of ${basename(sweepDir)}: ${message}`);
      void vscode.window.showErrorMessage(
        `Ensemble Lab: could not apply the best trial: ${message}`,
      );
    });
  }

  /** A panel may only name the runs it shows; any other folder is refused. */
  private isPanelRun(open: OpenPanel, runDir: string): boolean {
    const dir = resolve(runDir);
    if (dir === open.runDir || dir === open.compareWith) return true;
    this.log.warn(`${open.kind} panel named a run it does not show (${runDir}); ignored`);
    return false;
  }

  private sendState(open: OpenPanel): void {
    if (!open.ready) return;
    const started = Date.now();
    try {
      const state = this.readState(open);
      this.post(open, { type: 'state', state });
      this.log.debug(
        `${open.kind} state of ${basename(open.runDir)} sent in ${Date.now() - started} ms`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.warn(`${open.kind} of ${basename(open.runDir)}: ${message}`);
      this.post(open, { type: 'problem', message });
    }
  }

  private readState(open: OpenPanel): PanelState {
    if (open.kind === 'leaderboard') return readLeaderboardState(open.runDir, open.compareWith);
    if (open.kind === 'sweep') return readSweepState(open.runDir);
    return readConfusionState(open.runDir);
  }

  /** Posts only to a page that said `ready`; earlier messages would be lost or misread. */
  private post(open: OpenPanel, message: HostMessage): void {
    if (!open.ready) return;
    void open.panel.webview.postMessage(message).then(undefined, (error: unknown) => {
      this.log.debug(`posting to the ${open.kind} panel failed: ${String(error)}`);
    });
  }

  private forget(open: OpenPanel): void {
    for (const listener of open.listeners) listener.dispose();
    open.listeners = [];
    if (this.panels.get(panelKey(open.kind, open.runDir)) === open) {
      this.panels.delete(panelKey(open.kind, open.runDir));
    }
  }
}

function panelKey(kind: PanelKind, runDir: string): string {
  return `${kind}:${resolve(runDir)}`;
}

function title(kind: PanelKind, runDir: string, compareWith?: string): string {
  const run = basename(runDir);
  if (kind === 'confusion') return `Confusion: ${run}`;
  if (kind === 'sweep') return `Sweep: ${run}`;
  return compareWith ? `Leaderboard: ${run} ↔ ${basename(compareWith)}` : `Leaderboard: ${run}`;
}
