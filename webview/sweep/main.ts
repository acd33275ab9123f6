import '@vscode-elements/elements/dist/vscode-button/index.js';
import { bestTrial } from '../../src/core/sweep/best';
import type { TrialRecord } from '../../src/core/sweep/manifest';
import type { HostMessage, SweepState } from '../../src/protocol/messages';
import { connect, formatNumber, h, showProblem } from '../shared/host';
import { SweepCharts } from './charts';

/**
 * The sweep panel: the best trial with "Apply best to config", the trials table, and the
 * plots (optimization history, parallel coordinates, one slice per parameter, importance).
 * The host sends the whole state again each time sweep.json changes.
 */

const root = document.getElementById('app') as HTMLElement;
const charts = new SweepCharts();
const link = connect(onMessage);

function onMessage(message: HostMessage): void {
  if (message.type === 'state' && message.state.kind === 'sweep') render(message.state);
  else if (message.type === 'problem') {
    charts.destroy();
    showProblem(root, message.message);
  }
}

function render(state: SweepState): void {
  charts.destroy();
  const { manifest } = state;
  const history = canvas('Objective of each trial, and the best so far');
  const parallel = canvas('Parallel coordinates of the completed trials');
  const importance = canvas('Importance of each parameter');
  const slices = manifest.sweep.parameters.map((p) => ({
    p,
    canvas: canvas(`Objective against ${p.path}`),
  }));

  root.replaceChildren(
    title(state),
    bestSection(state),
    section('Trials', h('div', { class: 'table-scroll' }, trialsTable(state))),
    section('Optimization history', chartBox(history)),
    section('Parallel coordinates', chartBox(parallel)),
    section('Slices', h('div', { class: 'slices' }, ...slices.map((s) => chartBox(s.canvas)))),
    section('Parameter importance', chartBox(importance)),
  );
  charts.history(history, manifest);
  charts.parallel(parallel, manifest);
  slices.forEach((s) => charts.slice(s.canvas, manifest, s.p));
  charts.importance(importance, state.importance);
}

function title(state: SweepState): HTMLElement {
  const { manifest } = state;
  const { sampler, pruner, trials } = manifest.sweep;
  return h(
    'header',
    { class: 'board-title' },
    h('h1', {}, `Sweep of ${manifest.configName}`),
    h('span', { class: `status status-${manifest.status}` }, manifest.status),
    h(
      'span',
      { class: 'muted' },
      `${manifest.trials.length}/${trials} trials · ${sampler.type} · pruner ${pruner.type}`,
    ),
  );
}

function bestSection(state: SweepState): HTMLElement {
  const best = bestTrial(state.manifest);
  if (!best)
    return section('Best trial', h('p', { class: 'muted' }, 'No trial has completed yet.'));
  const { metric, split } = state.manifest.objective;
  const params = Object.entries(best.params).map(([p, v]) =>
    h('li', {}, h('code', {}, p), ` = ${show(v)}`),
  );
  const summary =
    `Trial ${best.number}: ${split} ${metric} ${formatNumber(best.value)} · ` +
    `run ${best.runId ?? '–'}`;

  return section(
    'Best trial',
    h('p', { class: 'best-trial' }, summary),
    h('ul', { class: 'best-params' }, ...params),
    h('div', { class: 'actions' }, ...bestActions(state, best.number)),
  );
}

/** "Apply best to config" (off when the config file is gone) and "Open its run". */
function bestActions(state: SweepState, trial: number): HTMLElement[] {
  const apply = h(
    'vscode-button',
    state.configExists ? {} : { disabled: '' },
    'Apply best to config',
  );
  apply.addEventListener('click', () => link.post({ type: 'applyBest', sweepDir: state.sweepDir }));
  const open = h('vscode-button', { secondary: '' }, 'Open its run');
  open.addEventListener('click', () =>
    link.post({ type: 'openTrial', sweepDir: state.sweepDir, trial }),
  );
  return [apply, open];
}

function trialsTable(state: SweepState): HTMLTableElement {
  const paths = state.manifest.sweep.parameters.map((p) => p.path);
  const metric = String(state.manifest.objective.metric ?? 'objective');
  const head = h(
    'tr',
    {},
    ...['trial', 'state', metric, ...paths, 'reason'].map((c) => h('th', { scope: 'col' }, c)),
  );
  const best = state.manifest.best;
  const rows = state.manifest.trials.map((t) => trialRow(state, t, paths, t.number === best));
  return h('table', { class: 'leaderboard trials' }, h('thead', {}, head), h('tbody', {}, ...rows));
}

function trialRow(
  state: SweepState,
  t: TrialRecord,
  paths: string[],
  isBest: boolean,
): HTMLTableRowElement {
  const number = h(
    'button',
    { class: 'link', type: 'button', title: 'Open its run' },
    String(t.number),
  );
  number.addEventListener('click', () =>
    link.post({ type: 'openTrial', sweepDir: state.sweepDir, trial: t.number }),
  );
  return h(
    'tr',
    { class: `status-${t.state}${isBest ? ' best' : ''}` },
    h('th', { scope: 'row' }, t.runId ? number : String(t.number)),
    h('td', {}, t.state),
    h('td', { class: 'num' }, formatNumber(t.value)),
    ...paths.map((p) => h('td', { class: 'num' }, p in t.params ? show(t.params[p]) : '–')),
    h('td', { class: 'reason', title: t.reason ?? '' }, shortReason(t.reason)),
  );
}

/** "pruned at epoch 4" of a pruner's sentence; the whole sentence is the cell's tooltip. */
function shortReason(reason: string | undefined): string {
  return reason?.split(':')[0] ?? '';
}

function show(value: unknown): string {
  return typeof value === 'number' && !Number.isInteger(value)
    ? value.toPrecision(4)
    : String(value);
}

function section(name: string, ...children: Node[]): HTMLElement {
  return h('section', { class: 'sweep-section' }, h('h2', {}, name), ...children);
}

function canvas(label: string): HTMLCanvasElement {
  return h('canvas', { 'aria-label': label, role: 'img' });
}

function chartBox(c: HTMLCanvasElement): HTMLElement {
  return h('div', { class: 'chart-box' }, c);
}
