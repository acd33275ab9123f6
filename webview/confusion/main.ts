import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { VscodeSingleSelect } from '@vscode-elements/elements/dist/vscode-single-select/vscode-single-select.js';
import type { ConfusionEntry, ConfusionState, HostMessage } from '../../src/protocol/messages';
import { connect, h, showProblem } from '../shared/host';

/**
 * The confusion matrix as a CSS grid of real cells rather than a chartjs-chart-matrix canvas:
 * the class names and values are text (selectable, read by screen readers, zoomed with the
 * editor font), and the colors come straight from the theme's CSS variables, which a canvas
 * would have to copy once and miss when the theme changes.
 */

const root = document.getElementById('app') as HTMLElement;
let state: ConfusionState | undefined;

const link = connect(onMessage);

function onMessage(message: HostMessage): void {
  if (message.type === 'state' && message.state.kind === 'confusion') {
    state = message.state;
    render();
  } else if (message.type === 'select') {
    link.saveView({ selected: message.name });
    render();
  } else if (message.type === 'problem') {
    state = undefined;
    showProblem(root, message.message);
  }
}

function render(): void {
  if (!state) return;
  const title = h(
    'header',
    { class: 'board-title' },
    h('h1', {}, state.configName),
    h('span', { class: 'muted' }, state.runId),
  );
  if (state.matrices.length === 0) {
    root.replaceChildren(title, h('p', { class: 'muted' }, state.note ?? 'No confusion matrix.'));
    return;
  }
  const entry = state.matrices.find((m) => m.name === link.view.selected) ?? state.matrices[0];
  const normalized = link.view.normalized ?? false;

  root.replaceChildren(
    title,
    controls(state.matrices, entry, normalized),
    heatMap(state.classes, entry, normalized),
  );
}

function controls(
  entries: ConfusionEntry[],
  shown: ConfusionEntry,
  normalized: boolean,
): HTMLElement {
  const picker = h('vscode-single-select', { 'aria-label': 'Model' }) as VscodeSingleSelect;
  for (const entry of entries) {
    const label = entry.kind === 'ensemble' ? `${entry.name} (ensemble)` : entry.name;
    const option = h('vscode-option', { value: entry.name }, label);
    if (entry === shown) option.setAttribute('selected', '');
    picker.append(option);
  }
  picker.addEventListener('change', () => {
    link.saveView({ selected: picker.value });
    render();
  });

  const toggle = h('vscode-checkbox', {
    label: 'Row-normalized (recall per true class)',
  }) as VscodeCheckbox;
  toggle.checked = normalized;
  toggle.addEventListener('change', () => {
    link.saveView({ normalized: toggle.checked });
    render();
  });
  return h(
    'div',
    { class: 'controls' },
    h('label', { class: 'picker-label' }, 'Model'),
    picker,
    toggle,
  );
}

/**
 * The grid: predicted classes across, true classes down. Each cell's shade is its share of
 * the largest count (or its row share when normalized), set as a CSS variable through the
 * CSSOM so the page needs no inline style (CSP).
 */
function heatMap(classes: string[], entry: ConfusionEntry, normalized: boolean): HTMLElement {
  const grid = h('div', {
    class: 'heatmap',
    role: 'table',
    'aria-label': `Confusion matrix of ${entry.name}`,
  });
  grid.style.setProperty('--classes', String(classes.length));
  const max = Math.max(1, ...entry.confusion.flat());

  grid.append(h('div', { class: 'corner', role: 'columnheader' }, 'true ↓ / predicted →'));
  for (const name of classes)
    grid.append(h('div', { class: 'axis axis-x', role: 'columnheader', title: name }, name));

  entry.confusion.forEach((row, t) => {
    const total = row.reduce((sum, count) => sum + count, 0);
    grid.append(
      h('div', { class: 'axis axis-y', role: 'rowheader', title: classes[t] }, classes[t]),
    );
    row.forEach((count, p) =>
      grid.append(cell(classes[t], classes[p], count, total, max, normalized, t === p)),
    );
  });
  return h('div', { class: 'heatmap-scroll' }, grid);
}

function cell(
  trueClass: string,
  predicted: string,
  count: number,
  rowTotal: number,
  max: number,
  normalized: boolean,
  diagonal: boolean,
): HTMLElement {
  const share = rowTotal === 0 ? 0 : count / rowTotal;
  const intensity = normalized ? share : count / max;
  const text = normalized ? `${(share * 100).toFixed(rowTotal === 0 ? 0 : 1)}%` : String(count);
  const classes = ['cell', diagonal ? 'diagonal' : '', intensity > 0.5 ? 'strong' : ''].filter(
    Boolean,
  );
  const element = h(
    'div',
    {
      class: classes.join(' '),
      role: 'cell',
      title: `true ${trueClass}, predicted ${predicted}: ${count} of ${rowTotal}`,
    },
    text,
  );
  element.style.setProperty('--intensity', `${Math.round(intensity * 100)}%`);
  return element;
}
