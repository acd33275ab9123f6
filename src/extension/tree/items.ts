import type { ConfigProblem } from '../../core/config/problems';
import { formatDuration, formatMetric, plural, relativeTime } from '../format';
import type { MemberSummary, RunSummary } from '../runs/summary';
import { describeProgress, type Progress } from '../training/progress';

/** What one tree row shows, before it becomes a vscode.TreeItem. */
export interface ItemView {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon id, e.g. `pass` or `sync~spin`. */
  icon: string;
  /** A theme color id for the icon. */
  iconColor?: string;
  /** The `viewItem` value menus match: `config`, `run.completed`, `member`, ... */
  contextValue: string;
  expandable: boolean;
}

/** A config file found in the workspace. */
export interface ConfigEntry {
  path: string;
  /** The path relative to its workspace folder, shown to tell configs apart. */
  relativePath: string;
  problems: ConfigProblem[];
}

const STATUS_ICONS: Record<string, [string, string?]> = {
  running: ['sync~spin'],
  completed: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash'],
  interrupted: ['warning', 'list.warningForeground'],
};

/** A config row: its errors make it red, with the first one as its description. */
export function configView(config: ConfigEntry, runCount: number, sweepCount = 0): ItemView {
  const errors = config.problems.filter((p) => p.severity === 'error');
  const name = baseName(config.path).replace(/\.ensemble\.json$/, '');
  const view = { id: `config:${config.path}`, label: name, contextValue: 'config' };
  if (errors.length > 0) {
    const first = `line ${errors[0].line}: ${errors[0].message}`;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    return {
      ...view,
      description: first + more,
      tooltip: `${config.relativePath}\n${first}${more}`,
      icon: 'error',
      iconColor: 'errorForeground',
      expandable: runCount + sweepCount > 0,
    };
  }
  const sweeps = sweepCount > 0 ? ` · ${plural(sweepCount, 'sweep')}` : '';
  const runs = (runCount === 0 ? 'no runs yet' : plural(runCount, 'run')) + sweeps;
  return {
    ...view,
    description: runs,
    tooltip: config.relativePath,
    icon: 'beaker',
    expandable: runCount + sweepCount > 0,
  };
}

/** A run row: status icon, headline metric (or live progress) and when it started. */
export function runView(run: RunSummary, now: number, live?: Progress): ItemView {
  const { manifest } = run;
  const [icon, iconColor] = STATUS_ICONS[manifest.status] ?? ['circle-outline'];
  return {
    id: `run:${run.dir}`,
    label: manifest.id,
    description: runDescription(run, now, live),
    tooltip: runTooltip(run),
    icon,
    iconColor,
    contextValue: `run.${manifest.status}`,
    expandable: manifest.members.length > 0,
  };
}

/** "accuracy 0.978 · 3 min ago", "cancelled · 2/3 members · 1 h ago", or live progress. */
export function runDescription(run: RunSummary, now: number, live?: Progress): string {
  const { manifest } = run;
  const when = relativeTime(manifest.createdAt, now);
  const value = manifest.metrics?.[run.headline];
  if (manifest.status === 'running') return live ? describeProgress(live) : `training · ${when}`;
  if (manifest.status === 'completed' && value !== undefined) {
    return `${formatMetric(run.headline, value)} · ${when}`;
  }
  const done = manifest.members.filter((m) => m.status === 'done').length;
  return `${manifest.status} · ${done}/${manifest.members.length} members · ${when}`;
}

function runTooltip(run: RunSummary): string {
  const { manifest } = run;
  const lines = [
    `${manifest.configName}: ${manifest.status}`,
    `started ${manifest.createdAt.replace('T', ' ').slice(0, 19)} UTC`,
    `backend ${manifest.backend}, seed ${manifest.seed}`,
  ];
  if (manifest.error) lines.push(manifest.error);
  return lines.join('\n');
}

/** A request waiting for the runs before it. */
export function queuedView(jobId: number, position: number): ItemView {
  return {
    id: `queued:${jobId}`,
    label: 'queued',
    description: position === 1 ? 'next to train' : `${position} in the queue`,
    icon: 'clock',
    contextValue: 'run.queued',
    expandable: false,
  };
}

/** A member row: its score and fit time, or why it failed. */
export function memberView(run: RunSummary, member: MemberSummary): ItemView {
  const view = {
    id: `member:${run.dir}:${member.name}`,
    label: member.name,
    contextValue: 'member',
    expandable: false,
  };
  if (member.status === 'failed') {
    const reason = member.reason ?? 'no reason recorded';
    return {
      ...view,
      description: `failed: ${reason}`,
      tooltip: reason,
      icon: 'error',
      iconColor: 'testing.iconFailed',
    };
  }
  if (member.status !== 'done') {
    const icon = member.status === 'running' ? 'sync~spin' : 'circle-outline';
    return { ...view, description: `${member.kind} · ${member.status}`, icon };
  }
  const value = member.metrics?.[run.headline];
  const parts = [member.kind];
  if (value !== undefined) parts.push(formatMetric(run.headline, value));
  if (member.fitMs !== undefined) parts.push(formatDuration(member.fitMs));
  return {
    ...view,
    description: parts.join(' · '),
    icon: 'circle-filled',
    tooltip: `${member.epochsRun ?? '?'} epochs`,
  };
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
