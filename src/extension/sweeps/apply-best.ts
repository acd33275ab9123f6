import * as vscode from 'vscode';
import { applyParameters } from '../../core/sweep/apply';
import { bestTrial } from '../../core/sweep/best';
import { smallestReplacement } from './edit';
import { readSweepState } from './state';

/**
 * Writes the best trial's values into the config the sweep came from, as one WorkspaceEdit:
 * undoable with Ctrl+Z, comments and formatting kept, the document left unsaved for review.
 */
export async function applyBestTrial(
  sweepDir: string,
  log: vscode.LogOutputChannel,
): Promise<void> {
  const { manifest } = readSweepState(sweepDir);
  const best = bestTrial(manifest);
  if (!best) {
    void vscode.window.showInformationMessage(`Sweep ${manifest.id} has no completed trial yet.`);
    return;
  }

  const uri = vscode.Uri.file(manifest.configPath);
  const document = await vscode.workspace.openTextDocument(uri);
  const change = smallestReplacement(
    document.getText(),
    applyParameters(document.getText(), best.params),
  );
  await vscode.window.showTextDocument(document);
  if (!change) {
    void vscode.window.showInformationMessage("The config already has the best trial's values.");
    return;
  }

  const edit = new vscode.WorkspaceEdit();
  const range = new vscode.Range(
    document.positionAt(change.offset),
    document.positionAt(change.offset + change.length),
  );
  edit.replace(uri, range, change.text);
  await vscode.workspace.applyEdit(edit);
  log.info(
    `Applied trial ${best.number} of sweep ${manifest.id} to ` +
      vscode.workspace.asRelativePath(uri),
  );
}
