import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { TrainerEvent } from '../../src/protocol/events';
import type { HostMessage, LeaderboardState, RunSnapshot } from '../../src/protocol/messages';
import { connect, formatCount, formatMs, formatNumber, h, showProblem } from '../shared/host';
import { LossChart } from './chart';
import { applyEvent, columnsOf, rowsOf, sortRows, type Column, type Row } from './rows';

/**
 * The leaderboard: a plain themed <table> rather than vscode-table, because compare mode
 * and failed rows need colspan, the sort buttons need real <th> cells with aria-sort, and a
 * native table reads well in screen readers; vscode-table lays out <div>s in a fixed-height
 * scroller made for resizable list views.
 */

const root = document.getElementById('app') as HTMLElement;
const boards = h('div', { class: 'boards' });
const chartCanvas = h('canvas', { 'aria-label': 'Loss per epoch of each member' });
const chartSection = h(
  'section',
  { class: 'chart', hidden: '' },
  h('h2', {}, 'Learning curves'),
  h('div', { class: 'chart-box' }, chartCanvas),
);
const chart = new LossChart(chartCanvas);
const FORMATS = { number: formatNumber, count: formatCount, ms: formatMs };
let state: LeaderboardState | undefined;
let frame = 0;

const link = connect(onMessage);

function onMessage(message: HostMessage): void {
  if (message.type === 'state' && message.state.kind === 'leaderboard') {
    state = message.state;
    render();
  } else if (message.type === 'event' && state) {
    onEvent(state, message.event);
  } else if (message.type === 'problem') {
    state = undefined;
    showProblem(root, message.message);
  }
}

/** Live rows and curves; redrawn once per frame however many events arrive. */
function onEvent(current: LeaderboardState, event: TrainerEvent): void {
  const run = [current.run, current.compare].find((r) => r?.manifest.id === event.runId);
  if (!run || !applyEvent(run, event)) return;
  if (event.type === 'run-started') run.manifest.status = 'running';
  cancelAnimationFrame(frame);
  frame = requestAnimationFrame(render);
}

function render(): void {
  if (!state) return;
  const runs = state.compare ? [state.run, state.compare] : [state.run];
  const summary = state.compare ? compareSummary(state.run, state.compare) : [];

  boards.replaceChildren(...runs.map((run) => board(run, runs.length > 1)));
  root.replaceChildren(...summary, boards, chartSection);

  const curves = state.run.curves;
  chartSection.hidden = Object.keys(curves).length === 0;
  if (!chartSection.hidden) chart.update(curves);
}

/** One run: its title line and its table. */
function board(run: RunSnapshot, comparing: boolean): HTMLElement {
  const rows = rowsOf(run);
  const columns = columnsOf(rows);
  const column = columns.find((c) => c.key === link.view.sortKey);
  const sorted = sortRows(rows, column, link.view.sortDescending ?? !column?.lowerIsBetter);
  const open = h('vscode-button', { secondary: '' }, 'Open alone');
  open.addEventListener('click', () => link.post({ type: 'openRun', runDir: run.runDir }));

  return h(
    'section',
    { class: 'board' },
    h(
      'header',
      { class: 'board-title' },
      h('h1', {}, run.manifest.configName),
      h('span', { class: `status status-${run.manifest.status}` }, run.manifest.status),
      h('span', { class: 'muted' }, run.manifest.id),
      ...(comparing ? [open] : []),
    ),
    h('div', { class: 'table-scroll' }, table(run, sorted, columns, column)),
  );
}

function table(
  run: RunSnapshot,
  rows: Row[],
  columns: Column[],
  sortedBy?: Column,
): HTMLTableElement {
  const best = bestValues(rows, columns);
  const head = h('tr', {}, h('th', { scope: 'col' }, 'model'), h('th', { scope: 'col' }, 'kind'));
  for (const column of columns) head.append(headerCell(column, column === sortedBy));

  const body = h('tbody');
  for (const row of rows) body.append(tableRow(run, row, columns, best));
  return h('table', { class: 'leaderboard' }, h('thead', {}, head), body);
}

/** A header that sorts by its column; a second click turns the order round. */
function headerCell(column: Column, sorted: boolean): HTMLTableCellElement {
  const descending = link.view.sortDescending ?? !column.lowerIsBetter;
  const arrow = sorted ? (descending ? ' ▼' : ' ▲') : '';
  const button = h('button', { class: 'sort', type: 'button' }, column.label + arrow);
  button.addEventListener('click', () => {
    const flip = sorted ? !descending : !column.lowerIsBetter;
    link.saveView({ sortKey: column.key, sortDescending: flip });
    render();
  });
  const ariaSort = sorted ? (descending ? 'descending' : 'ascending') : 'none';
  return h('th', { scope: 'col', 'aria-sort': ariaSort, class: 'num' }, button);
}

function tableRow(
  run: RunSnapshot,
  row: Row,
  columns: Column[],
  best: Map<string, number>,
): HTMLTableRowElement {
  const tr = h(
    'tr',
    { class: `row-${row.role} status-${row.status}` },
    nameCell(run, row),
    h('td', {}, row.kind),
  );

  if (row.status === 'failed') {
    tr.append(
      h(
        'td',
        { colspan: String(columns.length), class: 'reason' },
        `failed: ${row.reason ?? 'no reason given'}`,
      ),
    );
    return tr;
  }
  for (const column of columns) {
    const value = column.value(row);
    const text = FORMATS[column.format](value);
    const isBest = row.role === 'member' && value !== undefined && best.get(column.key) === value;
    tr.append(h('td', { class: isBest ? 'num best' : 'num' }, text));
  }
  return tr;
}

/** A member's (or the ensemble's) name opens its confusion matrix, for classification runs. */
function nameCell(run: RunSnapshot, row: Row): HTMLTableCellElement {
  const scored =
    run.report?.task === 'classification' && row.role !== 'mean' && row.status === 'done';
  if (!scored)
    return h('th', { scope: 'row' }, row.name, row.status === 'running' ? ' (training…)' : '');

  const button = h(
    'button',
    { class: 'link', type: 'button', title: 'Show its confusion matrix' },
    row.name,
  );
  button.addEventListener('click', () =>
    link.post({ type: 'selectMember', runDir: run.runDir, name: row.name }),
  );
  return h('th', { scope: 'row' }, button);
}

/** The best member value of each column, to mark it. */
function bestValues(rows: Row[], columns: Column[]): Map<string, number> {
  const best = new Map<string, number>();
  const members = rows.filter((r) => r.role === 'member' && r.status === 'done');
  for (const column of columns) {
    if (column.key === 'epochs' || column.key.startsWith('diversity:')) continue;
    const values = members.map(column.value).filter((v): v is number => v !== undefined);
    // Marked only when members differ: a tie everywhere is not a winner.
    if (values.length > 1 && new Set(values).size > 1)
      best.set(column.key, column.lowerIsBetter ? Math.min(...values) : Math.max(...values));
  }
  return best;
}

/** Compare mode: the ensemble and mean member of both runs, metric by metric, with B − A. */
function compareSummary(a: RunSnapshot, b: RunSnapshot): HTMLElement[] {
  if (!a.report || !b.report) return [];
  const names = [
    ...new Set([
      ...Object.keys(a.report.ensemble.metrics),
      ...Object.keys(b.report.ensemble.metrics),
    ]),
  ];
  const head = h(
    'tr',
    {},
    ...[
      'metric',
      'ensemble A',
      'ensemble B',
      'B − A',
      'mean member A',
      'mean member B',
      'B − A',
    ].map((t) => h('th', { scope: 'col' }, t)),
  );
  const body = h('tbody');

  for (const name of names) {
    const pair = (x?: number, y?: number): HTMLElement[] => [
      h('td', { class: 'num' }, formatNumber(x)),
      h('td', { class: 'num' }, formatNumber(y)),
      h('td', { class: 'num delta' }, x === undefined || y === undefined ? '–' : signed(y - x)),
    ];
    body.append(
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, name),
        ...pair(a.report.ensemble.metrics[name], b.report.ensemble.metrics[name]),
        ...pair(a.report.meanMember[name], b.report.meanMember[name]),
      ),
    );
  }
  const caption = h('caption', {}, `A: ${a.manifest.id}   B: ${b.manifest.id}`);
  return [
    h(
      'section',
      { class: 'compare' },
      h('h2', {}, 'Compared'),
      h(
        'div',
        { class: 'table-scroll' },
        h('table', { class: 'leaderboard' }, caption, h('thead', {}, head), body),
      ),
    ),
  ];
}

function signed(value: number): string {
  return value > 0 ? `+${formatNumber(value)}` : formatNumber(value);
}
