import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import type { BackendPreference } from '../core/backend';

/** The `ensembleLab.*` settings, read when used so that changes apply at once. */
export const settings = {
  backend: (): BackendPreference => get<BackendPreference>('trainer.backend', 'auto'),
  maxParallelMembers: (): number => get('trainer.maxParallelMembers', 0),
  /** Members trained at once, for the trainer's job: undefined (one per core) when 0. */
  parallel: (): number | undefined => get('trainer.maxParallelMembers', 0) || undefined,
  runsFolder: (): string => get('runs.folder', '.ensemble-lab'),
  codeLensEnabled: (): boolean => get('codeLens.enabled', true),
  revealLogOnFailure: (): boolean => get('training.revealLogOnFailure', false),
  showProgressNotification: (): boolean => get('training.showProgressNotification', true),
  notifyOnCompletion: (): boolean => get('training.notifyOnCompletion', true),
};

function get<T>(key: string, fallback: T): T {
  return vscode.workspace.getConfiguration('ensembleLab').get<T>(key, fallback);
}

/** The runs folder of a workspace folder: `<folder>/.ensemble-lab` unless the setting says. */
export function storeRootOf(folder: vscode.WorkspaceFolder): string {
  const setting = settings.runsFolder();
  return isAbsolute(setting) ? setting : join(folder.uri.fsPath, setting);
}

/** The runs folder for a file: that of its workspace folder, else beside the file. */
export function storeRootFor(file: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(file);
  if (folder) return storeRootOf(folder);
  return join(file.fsPath, '..', settings.runsFolder());
}

/** Every workspace folder's runs folder. */
export function storeRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map(storeRootOf);
}
