// Reads the runs the extension under test writes into the workspace, as plain files: the tests
// take the numbers they expect from here, so nothing the panels show is written in a test.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunManifest } from '../../src/core/runs/manifest';
import type { RunReport } from '../../src/core/runs/report';
import { waitFor } from './harness';

/** A run folder and its manifest. */
export interface FoundRun {
  dir: string;
  manifest: RunManifest;
}

/** Every run under `<workspace>/.ensemble-lab/runs/` whose run.json reads whole. */
export function findRuns(workspace: string): FoundRun[] {
  const runs = join(workspace, '.ensemble-lab', 'runs');
  if (!existsSync(runs)) return [];
  return readdirSync(runs).flatMap((id) => {
    const manifest = readJsonFile<RunManifest>(join(runs, id, 'run.json'));
    return manifest ? [{ dir: join(runs, id), manifest }] : [];
  });
}

/** Waits until a run's manifest matches, and returns its folder. */
export async function waitForRun(
  workspace: string,
  matches: (manifest: RunManifest) => boolean,
  timeoutMs: number,
): Promise<string> {
  let found: FoundRun | undefined;
  await waitFor(
    'a run in the workspace to reach the expected state',
    () => (found = findRuns(workspace).find((r) => matches(r.manifest))) !== undefined,
    timeoutMs,
  );
  return (found as FoundRun).dir;
}

/** The manifest of one run folder. */
export function readManifest(runDir: string): RunManifest {
  const manifest = readJsonFile<RunManifest>(join(runDir, 'run.json'));
  if (!manifest) throw new Error(`${runDir}/run.json is missing`);
  return manifest;
}

/** The report of a finished run. */
export function readReport(runDir: string): RunReport {
  const report = readJsonFile<RunReport>(join(runDir, 'report.json'));
  if (!report) throw new Error(`${runDir}/report.json is missing`);
  return report;
}

/** Writes a file into the workspace, making its folder. */
export function writeWorkspaceFile(workspace: string, relativePath: string, text: string): void {
  const path = join(workspace, relativePath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** A JSON file, or undefined while it is missing or half written. */
function readJsonFile<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
