import type { SweepManifest, TrialRecord } from './manifest';

/** The best completed trial by the objective, the earliest of equals. */
export function bestTrial(manifest: SweepManifest): TrialRecord | undefined {
  const sign = manifest.objective.direction === 'minimize' ? 1 : -1;
  return manifest.trials
    .filter((t) => t.state === 'completed' && t.value !== undefined)
    .reduce<TrialRecord | undefined>(
      (best, t) => (!best || sign * (t.value as number) < sign * (best.value as number) ? t : best),
      undefined,
    );
}
