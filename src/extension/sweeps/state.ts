import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parameterImportance } from '../../core/sweep/importance';
import { SweepStore } from '../../core/sweep/store';
import type { SweepState } from '../../protocol/messages';

/** The store root of a sweep folder: `<root>/sweeps/<id>` → `<root>`. */
export function storeRootOfSweep(sweepDir: string): string {
  return dirname(dirname(sweepDir));
}

/** The sweep panel's state, read from a sweep folder. Throws UserError for a missing sweep. */
export function readSweepState(sweepDir: string): SweepState {
  const sweep = new SweepStore(storeRootOfSweep(sweepDir)).open(basename(sweepDir));
  const { manifest } = sweep;

  return {
    kind: 'sweep',
    sweepDir: sweep.dir,
    manifest,
    importance: parameterImportance(manifest.sweep.parameters, manifest.trials),
    configExists: existsSync(manifest.configPath),
  };
}

/** The run folder of a sweep's trial, when the trial has a run. */
export function trialRunDir(state: SweepState, trial: number): string | undefined {
  const runId = state.manifest.trials.find((t) => t.number === trial)?.runId;
  return runId ? join(storeRootOfSweep(state.sweepDir), 'runs', runId) : undefined;
}
