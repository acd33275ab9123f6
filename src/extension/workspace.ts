import * as vscode from 'vscode';
import { parseConfigText } from '../core/config';
import type { ConfigEntry } from './tree/items';
import { listRunSummaries, type RunSummary } from './runs/summary';
import { storeRoots } from './settings';
import { listSweepSummaries, type SweepSummary } from './sweeps/items';

export const CONFIG_GLOB = '**/*.ensemble.json';
const EXCLUDE = '{**/node_modules/**,**/.ensemble-lab/**}';

/** The workspace's config files with their problems, sorted by path. */
export async function findConfigs(): Promise<ConfigEntry[]> {
  const uris = await vscode.workspace.findFiles(CONFIG_GLOB, EXCLUDE);
  const entries = await Promise.all(uris.map(readConfigEntry));
  return entries.sort((a, b) => a.relativePath.localeCompare(b.relativePath));
}

async function readConfigEntry(uri: vscode.Uri): Promise<ConfigEntry> {
  const bytes = await vscode.workspace.fs.readFile(uri);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const text = open?.getText() ?? new TextDecoder().decode(bytes);
  const { problems } = parseConfigText(text, uri.fsPath);
  return { path: uri.fsPath, relativePath: vscode.workspace.asRelativePath(uri), problems };
}

/** Every sweep of every workspace folder, newest first. */
export function allSweeps(): SweepSummary[] {
  return storeRoots()
    .flatMap((root) => listSweepSummaries(root))
    .sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt));
}

/** Every run of every workspace folder, newest first. */
export function allRuns(): RunSummary[] {
  return storeRoots()
    .flatMap((root) => listRunSummaries(root))
    .sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt));
}

/** Asks which config to use; undefined when there is none or the user backs out. */
export async function pickConfig(title: string): Promise<vscode.Uri | undefined> {
  const uris = await vscode.workspace.findFiles(CONFIG_GLOB, EXCLUDE);
  if (uris.length === 0) {
    void vscode.window.showInformationMessage(
      'There is no *.ensemble.json config in this workspace; create one with "New Ensemble Config".',
    );
    return undefined;
  }
  if (uris.length === 1) return uris[0];
  const items = uris.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri }));
  return (await vscode.window.showQuickPick(items, { title, placeHolder: 'Pick a config' }))?.uri;
}

/** Asks which run to use, newest first; `filter` narrows the list (e.g. completed only). */
export async function pickRun(
  title: string,
  filter: (run: RunSummary) => boolean = () => true,
): Promise<RunSummary | undefined> {
  const runs = allRuns().filter(filter);
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(
      'There are no runs to pick yet; train a config first.',
    );
    return undefined;
  }
  const items = runs.map((run) => ({
    label: run.manifest.id,
    description: run.manifest.status,
    detail: vscode.workspace.asRelativePath(run.manifest.configPath),
    run,
  }));
  return (await vscode.window.showQuickPick(items, { title, placeHolder: 'Pick a run' }))?.run;
}
