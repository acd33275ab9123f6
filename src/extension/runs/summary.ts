import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readJson } from '../../core/runs/files';
import type { MemberStatus, RunManifest } from '../../core/runs/manifest';
import type { RunReport } from '../../core/runs/report';
import { withLiveStatus } from '../../core/runs/store';

/** What the tree and the code lenses show of one member of a run. */
export interface MemberSummary {
  name: string;
  kind: string;
  status: MemberStatus;
  /** Test metrics of this member alone, once it is done. */
  metrics?: Record<string, number>;
  fitMs?: number;
  epochsRun?: number;
  reason?: string;
}

/** One run as the extension shows it: its manifest, headline metric and members. */
export interface RunSummary {
  dir: string;
  manifest: RunManifest;
  /** The metric shown first (`accuracy` or `r2`). */
  headline: string;
  members: MemberSummary[];
}

/**
 * Every run under a store root, newest first. A run whose files cannot be read (a folder being
 * deleted, a damaged run.json) is left out rather than hiding every other run.
 */
export function listRunSummaries(storeRoot: string): RunSummary[] {
  const runsDir = join(storeRoot, 'runs');
  if (!existsSync(runsDir)) return [];
  const summaries = readdirSync(runsDir)
    .map((id) => readRunSummary(join(runsDir, id)))
    .filter((s): s is RunSummary => s !== undefined);

  return summaries.sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt));
}

/** Reads one run folder; undefined when it holds no readable run.json. */
export function readRunSummary(dir: string): RunSummary | undefined {
  const manifest = tryRead<RunManifest>(join(dir, 'run.json'));
  if (!manifest?.id) return undefined;
  const report = tryRead<RunReport>(join(dir, 'report.json'));
  const members = manifest.members.map((m): MemberSummary => {
    const reported = report?.members.find((r) => r.name === m.name);
    const metrics = reported?.metrics ?? memberMetrics(dir, m.name, m.status);
    return { ...m, reason: m.reason ?? reported?.reason, metrics };
  });

  const headline = report?.headline ?? headlineOf(manifest.metrics ?? members[0]?.metrics);
  return { dir, manifest: withLiveStatus(manifest), headline, members };
}

/** `accuracy` for classification metrics, `r2` for regression ones. */
export function headlineOf(metrics: Record<string, number> | undefined): string {
  if (!metrics || 'accuracy' in metrics) return 'accuracy';
  return 'r2' in metrics ? 'r2' : (Object.keys(metrics)[0] ?? 'accuracy');
}

function memberMetrics(
  dir: string,
  name: string,
  status: MemberStatus,
): Record<string, number> | undefined {
  if (status !== 'done') return undefined;
  return tryRead<Record<string, number>>(join(dir, 'members', name, 'metrics.json'));
}

function tryRead<T>(path: string): T | undefined {
  try {
    return readJson<T>(path);
  } catch {
    return undefined;
  }
}
