import { join } from 'node:path';
import { bestTrial } from '../../core/sweep/best';
import type { SweepManifest, TrialRecord } from '../../core/sweep/manifest';
import { SweepStore } from '../../core/sweep/store';
import { formatMetric, plural, relativeTime } from '../format';
import type { ItemView } from '../tree/items';

/** One sweep as the tree shows it: its folder and its manifest. */
export interface SweepSummary {
  dir: string;
  manifest: SweepManifest;
}

/** Every sweep under a store root, newest first; a sweep that cannot be read is left out. */
export function listSweepSummaries(storeRoot: string): SweepSummary[] {
  try {
    const store = new SweepStore(storeRoot);
    return store.list().map((manifest) => ({ dir: join(store.sweepsDir, manifest.id), manifest }));
  } catch {
    return [];
  }
}

const SWEEP_ICONS: Record<string, [string, string?]> = {
  running: ['sync~spin'],
  completed: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash'],
  interrupted: ['warning', 'list.warningForeground'],
};

const TRIAL_ICONS: Record<TrialRecord['state'], [string, string?]> = {
  running: ['sync~spin'],
  completed: ['circle-filled'],
  pruned: ['filter', 'disabledForeground'],
  failed: ['error', 'testing.iconFailed'],
  interrupted: ['warning', 'list.warningForeground'],
};

/** A sweep row: "best accuracy 0.981 · 20 trials · 3 min ago". */
export function sweepView(sweep: SweepSummary, now: number): ItemView {
  const { manifest } = sweep;
  const [icon, iconColor] = SWEEP_ICONS[manifest.status] ?? ['circle-outline'];
  const best = bestTrial(manifest);
  const score =
    best?.value !== undefined
      ? `best ${formatMetric(String(manifest.objective.metric), best.value)} · `
      : '';
  const trials = `${manifest.trials.length}/${plural(manifest.sweep.trials, 'trial')}`;

  return {
    id: `sweep:${sweep.dir}`,
    label: `sweep ${manifest.id}`,
    description: `${score}${trials} · ${relativeTime(manifest.createdAt, now)}`,
    tooltip:
      `${manifest.configName}: sweep ${manifest.status}, ` +
      `${manifest.sweep.sampler.type} sampler`,
    icon,
    iconColor,
    contextValue: `sweep.${manifest.status}`,
    expandable: manifest.trials.length > 0,
  };
}

/** A trial row: "trial 3" with its objective, or why it was pruned or failed. */
export function trialView(sweep: SweepSummary, trial: TrialRecord): ItemView {
  const [icon, iconColor] = TRIAL_ICONS[trial.state];
  const params = Object.entries(trial.params)
    .map(
      ([path, value]) => `${path} = ${typeof value === 'number' ? +value.toPrecision(4) : value}`,
    )
    .join('\n');
  const metric = String(sweep.manifest.objective.metric ?? 'objective');
  const outcome =
    trial.state === 'completed' && trial.value !== undefined
      ? formatMetric(metric, trial.value)
      : stateAndReason(trial);

  return {
    id: `trial:${sweep.dir}:${trial.number}`,
    label: `trial ${trial.number}`,
    description: outcome,
    tooltip: `${outcome}\n${params}`,
    icon,
    iconColor,
    contextValue: trial.runId ? 'trial.withRun' : 'trial',
    expandable: false,
  };
}

/** "pruned at epoch 4: ...", "failed: reason", or the bare state. */
function stateAndReason(trial: TrialRecord): string {
  if (!trial.reason) return trial.state;
  return trial.reason.startsWith(trial.state) ? trial.reason : `${trial.state}: ${trial.reason}`;
}
