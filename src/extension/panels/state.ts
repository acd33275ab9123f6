import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, readJsonLines } from '../../core/runs/files';
import type { RunManifest } from '../../core/runs/manifest';
import type { RunReport } from '../../core/runs/report';
import { withLiveStatus } from '../../core/runs/store';
import type { TrainerEvent } from '../../protocol/events';
import type {
  ConfusionEntry,
  ConfusionState,
  EpochPoint,
  LeaderboardState,
  RunSnapshot,
} from '../../protocol/messages';

/**
 * Reads what the panels show from a run folder (run.json, report.json,
 * members/<name>/history.json). No vscode here: the host only posts what these return.
 */

/** Pairwise diversity fields that are not measures. */
const PAIR_NAMES = new Set(['a', 'b']);

/** The leaderboard state of a run, and of a second run to compare with. */
export function readLeaderboardState(runDir: string, compareWith?: string): LeaderboardState {
  const run = readRunSnapshot(runDir);
  return compareWith
    ? { kind: 'leaderboard', run, compare: readRunSnapshot(compareWith) }
    : { kind: 'leaderboard', run };
}

/** Everything the leaderboard shows of one run. Throws when the folder has no run.json. */
export function readRunSnapshot(runDir: string): RunSnapshot {
  const manifest = readManifest(runDir);
  const report = readJson<RunReport>(join(runDir, 'report.json'));
  const events = report ? [] : readJsonLines<TrainerEvent>(join(runDir, 'events.jsonl'));

  return {
    runDir,
    manifest,
    ...(report ? { report } : {}),
    curves: { ...curvesFromEvents(events), ...readCurves(runDir, manifest) },
    memberDiversity: report ? memberDiversity(report) : {},
    memberMetrics: metricsFromEvents(events),
  };
}

/**
 * Learning curves of members still training: their history.json is written when they end,
 * but each epoch is already in events.jsonl, so a panel shown again mid-run loses nothing.
 */
export function curvesFromEvents(events: TrainerEvent[]): Record<string, EpochPoint[]> {
  const curves: Record<string, EpochPoint[]> = {};
  for (const event of events) {
    if (event.type === 'run-started') for (const key of Object.keys(curves)) delete curves[key];
    if (event.type !== 'member-epoch') continue;
    const { epoch, loss, valLoss, valAccuracy, learningRate } = event;
    (curves[event.member] ??= []).push({ epoch, loss, valLoss, valAccuracy, learningRate });
  }
  return curves;
}

/** Each finished member's test metrics, from its member-done event. */
export function metricsFromEvents(events: TrainerEvent[]): Record<string, Record<string, number>> {
  const metrics: Record<string, Record<string, number>> = {};
  for (const event of events)
    if (event.type === 'member-done') metrics[event.member] = event.metrics;
  return metrics;
}

/** The confusion panel's state: the ensemble's matrix, then each member's. */
export function readConfusionState(runDir: string): ConfusionState {
  const manifest = readManifest(runDir);
  const report = readJson<RunReport>(join(runDir, 'report.json'));
  const base = {
    kind: 'confusion' as const,
    runDir,
    runId: manifest.id,
    configName: manifest.configName,
  };

  if (!report) {
    return { ...base, classes: [], matrices: [], note: noReportNote(manifest) };
  }
  const matrices = confusionEntries(report);
  const note =
    matrices.length === 0 ? 'This run is a regression: it has no confusion matrix.' : undefined;
  return { ...base, classes: report.classes, matrices, ...(note ? { note } : {}) };
}

/** The ensemble's matrix first, then each member that has one, in the report's order. */
export function confusionEntries(report: RunReport): ConfusionEntry[] {
  const entries: ConfusionEntry[] = [];
  if (report.ensemble.confusion) {
    entries.push({
      name: report.ensemble.name,
      kind: 'ensemble',
      confusion: report.ensemble.confusion,
    });
  }
  for (const member of report.members) {
    if (member.confusion)
      entries.push({ name: member.name, kind: 'member', confusion: member.confusion });
  }
  return entries;
}

/**
 * Each member's mean of every numeric pairwise measure over the pairs it is part of. Pairs
 * whose measure is undefined (null: a member that made no mistakes has no Q statistic) are
 * left out of that measure's mean.
 */
export function memberDiversity(report: RunReport): Record<string, Record<string, number>> {
  const sums: Record<string, Record<string, { total: number; count: number }>> = {};

  for (const pair of report.diversity?.pairs ?? []) {
    for (const member of [pair.a, pair.b]) {
      if (typeof member !== 'string') continue;
      const measures = (sums[member] ??= {});
      for (const [name, value] of Object.entries(pair)) {
        if (PAIR_NAMES.has(name) || typeof value !== 'number' || !Number.isFinite(value)) continue;
        const sum = (measures[name] ??= { total: 0, count: 0 });
        sum.total += value;
        sum.count += 1;
      }
    }
  }
  return mapValues(sums, (measures) => mapValues(measures, (s) => s.total / s.count));
}

function readManifest(runDir: string): RunManifest {
  const manifest = readJson<RunManifest>(join(runDir, 'run.json'));
  if (!manifest)
    throw new Error(`${runDir} has no run.json: it is not a run folder, or it was deleted`);
  return withLiveStatus(manifest);
}

function readCurves(runDir: string, manifest: RunManifest): Record<string, EpochPoint[]> {
  const membersDir = join(runDir, 'members');
  const names = existsSync(membersDir) ? readdirSync(membersDir) : [];
  const ordered = manifest.members.map((m) => m.name).filter((name) => names.includes(name));
  const curves: Record<string, EpochPoint[]> = {};

  for (const name of ordered) {
    const history = readJson<EpochPoint[]>(join(membersDir, name, 'history.json'));
    if (Array.isArray(history)) curves[name] = history;
  }
  return curves;
}

function noReportNote(manifest: RunManifest): string {
  if (manifest.status === 'running')
    return 'The run is still training; the matrices come with its report.';
  return `The run ended ${manifest.status} before its report was written${manifest.error ? `: ${manifest.error}` : '.'}`;
}

function mapValues<A, B>(record: Record<string, A>, f: (value: A) => B): Record<string, B> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value)]));
}
