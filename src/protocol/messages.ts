import type { RunManifest } from '../core/runs/manifest';
import type { RunReport } from '../core/runs/report';
import type { ParameterImportance } from '../core/sweep/importance';
import type { SweepManifest } from '../core/sweep/manifest';
import type { TrainerEvent, TrainerEventType } from './events';

/**
 * The messages between the extension host and its webview panels (the leaderboard, the
 * confusion matrix and the sweep), declared once for both sides. The host sends a panel its
 * whole state only after the panel said `ready`; a webview is untrusted input, so the host
 * checks every message with `parsePanelMessage`, and the panel checks the host's with
 * `parseHostMessage`.
 */

/** The kinds of panel; each has its own webview view type. */
export type PanelKind = 'leaderboard' | 'confusion' | 'sweep';

/** One epoch of a member's training: the shape of members/<name>/history.json. */
export interface EpochPoint {
  /** 1-based. */
  epoch: number;
  loss: number;
  valLoss?: number;
  valAccuracy?: number;
  learningRate: number;
}

/** Everything the leaderboard shows of one run, read from its folder. */
export interface RunSnapshot {
  /** Absolute run folder; it names the run for the host. */
  runDir: string;
  manifest: RunManifest;
  /** report.json; absent while the run trains or when it failed before scoring. */
  report?: RunReport;
  /** Learning curve of each member that has one, by member name. */
  curves: Record<string, EpochPoint[]>;
  /** Mean of each pairwise diversity measure over the pairs a member is part of, by member. */
  memberDiversity: Record<string, Record<string, number>>;
  /**
   * Test metrics of the members finished so far, from the run's events: what the rows show
   * while there is no report yet.
   */
  memberMetrics: Record<string, Record<string, number>>;
}

/** The leaderboard's whole state: one run, or two side by side. */
export interface LeaderboardState {
  kind: 'leaderboard';
  run: RunSnapshot;
  /** A second run to compare with, when the panel was opened to compare. */
  compare?: RunSnapshot;
}

/** One confusion matrix the panel can show. */
export interface ConfusionEntry {
  /** `ensemble` or a member name. */
  name: string;
  kind: 'ensemble' | 'member';
  /** confusion[true][predicted], counts of test rows. */
  confusion: number[][];
}

/** The confusion panel's whole state. */
export interface ConfusionState {
  kind: 'confusion';
  runDir: string;
  runId: string;
  configName: string;
  /** Class names, in the order of the matrices' rows and columns. */
  classes: string[];
  /** The ensemble first, then each member that has a matrix. Empty for regression runs. */
  matrices: ConfusionEntry[];
  /** Why there is nothing to show, when `matrices` is empty. */
  note?: string;
}

/** The sweep panel's whole state: sweep.json and what is computed from it. */
export interface SweepState {
  kind: 'sweep';
  /** Absolute sweep folder; it names the sweep for the host. */
  sweepDir: string;
  manifest: SweepManifest;
  /** One entry per searched parameter, in the order of `manifest.sweep.parameters`. */
  importance: ParameterImportance[];
  /** Whether the config file the sweep came from still exists, to apply the best trial to. */
  configExists: boolean;
}

export type PanelState = LeaderboardState | ConfusionState | SweepState;

/** Host → panel. */
export type HostMessage =
  /** The whole state; replaces whatever the panel showed. */
  | { type: 'state'; state: PanelState }
  /** A live training event of the panel's run. */
  | { type: 'event'; event: TrainerEvent }
  /** Shows a model in the confusion panel (`ensemble` or a member name). */
  | { type: 'select'; name: string }
  /** The run could not be read; the panel shows the sentence instead of its content. */
  | { type: 'problem'; message: string };

/** Panel → host. */
export type PanelMessage =
  /** The panel's script runs and listens; only now may the host post to it. */
  | { type: 'ready' }
  /** A leaderboard row was chosen: open the confusion matrix of that model. */
  | { type: 'selectMember'; runDir: string; name: string }
  /** Open one of the panel's runs on its own leaderboard (from compare mode). */
  | { type: 'openRun'; runDir: string }
  /** Sweep: open the leaderboard of a trial's run. */
  | { type: 'openTrial'; sweepDir: string; trial: number }
  /** Sweep: write the best trial's values into the config file (an undoable edit). */
  | { type: 'applyBest'; sweepDir: string };

/**
 * What a panel keeps with vscode.setState: it survives hiding the panel and, through the
 * panel serializer, a window reload, which reopens the panel on `runDir`.
 */
export interface PanelViewState {
  /** The run folder the panel shows; the sweep folder, for the sweep panel. */
  runDir: string;
  compareWith?: string;
  /** Leaderboard: the column it is sorted by, and the direction. */
  sortKey?: string;
  sortDescending?: boolean;
  /** Confusion: the model shown and whether rows are normalized. */
  selected?: string;
  normalized?: boolean;
}

const TRAINER_EVENT_TYPES: readonly TrainerEventType[] = [
  'run-started',
  'member-started',
  'member-epoch',
  'member-done',
  'member-failed',
  'metric',
  'log',
  'run-done',
  'run-failed',
  'run-cancelled',
  'run-pruned',
];

/**
 * Checks a message a panel posted. Returns it typed, or undefined when it is not one of the
 * messages above (unknown type, missing or mistyped field, oversized string).
 */
export function parsePanelMessage(value: unknown): PanelMessage | undefined {
  if (!isRecord(value)) return undefined;

  switch (value.type) {
    case 'ready':
      return { type: 'ready' };
    case 'selectMember':
      return isText(value.runDir) && isText(value.name)
        ? { type: 'selectMember', runDir: value.runDir, name: value.name }
        : undefined;
    case 'openRun':
      return isText(value.runDir) ? { type: 'openRun', runDir: value.runDir } : undefined;
    case 'openTrial':
      return isText(value.sweepDir) && isCount(value.trial) && Number.isInteger(value.trial)
        ? { type: 'openTrial', sweepDir: value.sweepDir, trial: value.trial as number }
        : undefined;
    case 'applyBest':
      return isText(value.sweepDir) ? { type: 'applyBest', sweepDir: value.sweepDir } : undefined;
    default:
      return undefined;
  }
}

/**
 * Checks a message from the host: the discriminants and the fields the panels read first.
 * The host is trusted, so the report inside a state is checked for shape, not field by field.
 */
export function parseHostMessage(value: unknown): HostMessage | undefined {
  if (!isRecord(value)) return undefined;

  switch (value.type) {
    case 'state':
      return isPanelState(value.state) ? { type: 'state', state: value.state } : undefined;
    case 'event':
      return isTrainerEvent(value.event) ? { type: 'event', event: value.event } : undefined;
    case 'select':
      return isText(value.name) ? { type: 'select', name: value.name } : undefined;
    case 'problem':
      return isText(value.message) ? { type: 'problem', message: value.message } : undefined;
    default:
      return undefined;
  }
}

/**
 * Reads the view state a serializer hands back after a reload; it came from the webview, so
 * it is checked like a message. Only the fields the host needs are kept.
 */
export function parseViewState(value: unknown): PanelViewState | undefined {
  if (!isRecord(value) || !isText(value.runDir)) return undefined;
  const compareWith = isText(value.compareWith) ? value.compareWith : undefined;
  return compareWith ? { runDir: value.runDir, compareWith } : { runDir: value.runDir };
}

function isPanelState(value: unknown): value is PanelState {
  if (!isRecord(value)) return false;
  if (value.kind === 'leaderboard') {
    return (
      isRunSnapshot(value.run) && (value.compare === undefined || isRunSnapshot(value.compare))
    );
  }
  if (value.kind === 'sweep') return isSweepState(value);
  if (value.kind === 'confusion') {
    return (
      isText(value.runDir) &&
      isText(value.runId) &&
      isStringArray(value.classes) &&
      Array.isArray(value.matrices) &&
      value.matrices.every((m) => isConfusionEntry(m, (value.classes as string[]).length))
    );
  }
  return false;
}

function isSweepState(value: Record<string, unknown>): boolean {
  const manifest = value.manifest;
  return (
    isText(value.sweepDir) &&
    isRecord(manifest) &&
    isText(manifest.id) &&
    Array.isArray(manifest.trials) &&
    isRecord(manifest.sweep) &&
    Array.isArray(manifest.sweep.parameters) &&
    Array.isArray(value.importance)
  );
}

function isRunSnapshot(value: unknown): value is RunSnapshot {
  if (!isRecord(value) || !isText(value.runDir)) return false;
  if (!isRecord(value.manifest) || !isText(value.manifest.id)) return false;
  if (!Array.isArray(value.manifest.members)) return false;
  if (value.report !== undefined && !isReport(value.report)) return false;
  return isRecord(value.curves) && isRecord(value.memberDiversity) && isRecord(value.memberMetrics);
}

function isReport(value: unknown): value is RunReport {
  return (
    isRecord(value) &&
    isRecord(value.ensemble) &&
    isRecord(value.ensemble.metrics) &&
    Array.isArray(value.members) &&
    isRecord(value.meanMember) &&
    isStringArray(value.classes)
  );
}

function isConfusionEntry(value: unknown, classes: number): value is ConfusionEntry {
  if (!isRecord(value) || !isText(value.name)) return false;
  if (value.kind !== 'ensemble' && value.kind !== 'member') return false;
  const rows = value.confusion;
  return (
    Array.isArray(rows) &&
    rows.length === classes &&
    rows.every((row) => Array.isArray(row) && row.length === classes && row.every(isCount))
  );
}

function isTrainerEvent(value: unknown): value is TrainerEvent {
  if (!isRecord(value) || !isText(value.runId) || !isFiniteNumber(value.time)) return false;
  if (!TRAINER_EVENT_TYPES.includes(value.type as TrainerEventType)) return false;

  switch (value.type) {
    case 'member-epoch':
      return isText(value.member) && isFiniteNumber(value.epoch) && isFiniteNumber(value.loss);
    case 'member-done':
      return isText(value.member) && isRecord(value.metrics) && isFiniteNumber(value.fitMs);
    case 'member-started':
    case 'member-failed':
      return isText(value.member);
    case 'run-started':
      return Array.isArray(value.members);
    default:
      return true;
  }
}

/** Strings a panel may send are names and paths; anything longer is not one of ours. */
const MAX_TEXT = 4096;

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isCount(value: unknown): boolean {
  return isFiniteNumber(value) && value >= 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
