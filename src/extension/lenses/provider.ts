import * as vscode from 'vscode';
import { listRunSummaries } from '../runs/summary';
import { settings, storeRootFor } from '../settings';
import {
  lastRunOf,
  memberLensText,
  memberSpecSites,
  runLensText,
  sweepSectionOffset,
} from './model';

/**
 * Code lenses on configs: "Train ensemble" at the top; once runs exist, the last run's summary
 * (it opens the leaderboard) and each member spec's score in that run.
 */
export class ConfigLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  /** Recomputes the lenses (runs changed, or the setting). */
  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!settings.codeLensEnabled()) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = [
      new vscode.CodeLens(top, {
        title: '▶ Train ensemble',
        command: 'ensembleLab.trainEnsemble',
        arguments: [document.uri],
      }),
    ];
    lenses.push(...sweepLens(document));
    const run = lastRunOf(document.uri.fsPath, listRunSummaries(storeRootFor(document.uri)));
    if (!run) return lenses;

    lenses.push(
      new vscode.CodeLens(top, {
        title: runLensText(run, Date.now()),
        tooltip: `Open the leaderboard of ${run.manifest.id}`,
        command: 'ensembleLab.openLeaderboard',
        arguments: [run.dir],
      }),
    );
    for (const site of memberSpecSites(document.getText())) {
      const title = memberLensText(site, run);
      if (!title) continue;
      const range = new vscode.Range(
        document.positionAt(site.offset),
        document.positionAt(site.offset),
      );
      lenses.push(
        new vscode.CodeLens(range, {
          title,
          command: 'ensembleLab.openLeaderboard',
          arguments: [run.dir],
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** "▶ Run sweep" above the config's `sweep` section, when it has one. */
function sweepLens(document: vscode.TextDocument): vscode.CodeLens[] {
  const offset = sweepSectionOffset(document.getText());
  if (offset === undefined) return [];
  const at = new vscode.Range(document.positionAt(offset), document.positionAt(offset));
  const command = {
    title: '▶ Run sweep',
    command: 'ensembleLab.runSweep',
    arguments: [document.uri],
  };
  return [new vscode.CodeLens(at, command)];
}
