import type { EnsembleConfig } from '../core/config/types';
import type { RunManifest } from '../core/runs/manifest';
import type { RunReport } from '../core/runs/report';
import type { Run } from '../core/runs/store';
import { formatLeaderboard } from './leaderboard';

/** What `--json` prints about one run: its manifest (run.json) and its report, if it has one. */
export interface RunJson {
  run: RunManifest;
  report: RunReport | null;
}

/** Writes one value as JSON on standard output: the only thing `--json` puts there. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function runJson(run: Run): RunJson {
  return { run: run.manifest, report: run.readJson<RunReport>('report.json') ?? null };
}

/** The leaderboard of a report, with the metrics the run's config asked for first. */
export function leaderboardOf(run: Run, report: RunReport): string {
  const config = run.readJson<Pick<EnsembleConfig, 'evaluation'>>('config.json');
  return formatLeaderboard(report, config?.evaluation.metrics);
}
