import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunManifest } from '../core/runs/manifest';
import { parseHostMessage, parsePanelMessage, parseViewState } from './messages';

const manifest = { id: 'run-1', members: [] } as unknown as RunManifest;
const snapshot = {
  runDir: '/runs/run-1',
  manifest,
  curves: {},
  memberDiversity: {},
  memberMetrics: {},
};

test('a panel may say it is ready', () => {
  assert.deepEqual(parsePanelMessage({ type: 'ready' }), { type: 'ready' });
});

test('selectMember keeps only its declared fields', () => {
  const message = { type: 'selectMember', runDir: '/r', name: 'mlp-1', extra: '<script>' };
  assert.deepEqual(parsePanelMessage(message), {
    type: 'selectMember',
    runDir: '/r',
    name: 'mlp-1',
  });
});

test('a panel message of an unknown type is refused', () => {
  assert.equal(parsePanelMessage({ type: 'runCommand', command: 'rm -rf /' }), undefined);
});

test('openRun without a run folder is refused', () => {
  assert.equal(parsePanelMessage({ type: 'openRun' }), undefined);
});

test('selectMember with a numeric name is refused', () => {
  assert.equal(parsePanelMessage({ type: 'selectMember', runDir: '/r', name: 3 }), undefined);
});

test('an oversized string is refused', () => {
  assert.equal(parsePanelMessage({ type: 'openRun', runDir: 'x'.repeat(5000) }), undefined);
});

test('non-objects are refused', () => {
  for (const value of [null, undefined, 'ready', 42, [{ type: 'ready' }]]) {
    assert.equal(parsePanelMessage(value), undefined);
  }
});

test('a leaderboard state with a run snapshot is accepted', () => {
  const message = { type: 'state', state: { kind: 'leaderboard', run: snapshot } };
  assert.deepEqual(parseHostMessage(message), message);
});

test('a leaderboard state whose run has no manifest is refused', () => {
  const run = { ...snapshot, manifest: undefined };
  assert.equal(parseHostMessage({ type: 'state', state: { kind: 'leaderboard', run } }), undefined);
});

test('a confusion state whose matrix does not match the classes is refused', () => {
  const state = {
    kind: 'confusion',
    runDir: '/r',
    runId: 'run-1',
    configName: 'iris',
    classes: ['a', 'b'],
    matrices: [{ name: 'ensemble', kind: 'ensemble', confusion: [[1, 2, 3]] }],
  };
  assert.equal(parseHostMessage({ type: 'state', state }), undefined);
});

test('a confusion state with square count matrices is accepted', () => {
  const state = {
    kind: 'confusion',
    runDir: '/r',
    runId: 'run-1',
    configName: 'iris',
    classes: ['a', 'b'],
    matrices: [
      {
        name: 'ensemble',
        kind: 'ensemble',
        confusion: [
          [3, 1],
          [0, 4],
        ],
      },
    ],
  };
  assert.deepEqual(parseHostMessage({ type: 'state', state }), { type: 'state', state });
});

test('a member-epoch event is accepted', () => {
  const event = {
    type: 'member-epoch',
    runId: 'run-1',
    time: 1,
    member: 'mlp-1',
    epoch: 2,
    epochs: 10,
    loss: 0.5,
    learningRate: 0.01,
  };
  assert.deepEqual(parseHostMessage({ type: 'event', event }), { type: 'event', event });
});

test('a member-epoch event with a NaN loss is refused', () => {
  const event = { type: 'member-epoch', runId: 'r', time: 1, member: 'm', epoch: 1, loss: NaN };
  assert.equal(parseHostMessage({ type: 'event', event }), undefined);
});

test('an event of an unknown type is refused', () => {
  assert.equal(
    parseHostMessage({ type: 'event', event: { type: 'x', runId: 'r', time: 1 } }),
    undefined,
  );
});

test('a view state keeps the run folders and drops the rest', () => {
  const saved = { runDir: '/a', compareWith: '/b', sortKey: 'accuracy', evil: {} };
  assert.deepEqual(parseViewState(saved), { runDir: '/a', compareWith: '/b' });
});

test('a view state without a run folder is refused', () => {
  assert.equal(parseViewState({ sortKey: 'accuracy' }), undefined);
});

test('applyBest names the sweep folder it is about', () => {
  const message = { type: 'applyBest', sweepDir: '/store/sweeps/s-1' };
  assert.deepEqual(parsePanelMessage(message), message);
});

test('openTrial with a fractional trial number is refused', () => {
  const message = { type: 'openTrial', sweepDir: '/store/sweeps/s-1', trial: 1.5 };
  assert.equal(parsePanelMessage(message), undefined);
});

test('a sweep state without its trials is refused', () => {
  const manifest = { id: 's-1', sweep: { parameters: [] } };
  const state = { kind: 'sweep', sweepDir: '/s', manifest, importance: [], configExists: true };
  assert.equal(parseHostMessage({ type: 'state', state }), undefined);
});

test('a sweep state with its manifest and importance is accepted', () => {
  const manifest = { id: 's-1', sweep: { parameters: [] }, trials: [] };
  const state = { kind: 'sweep', sweepDir: '/s', manifest, importance: [], configExists: true };
  assert.deepEqual(parseHostMessage({ type: 'state', state }), { type: 'state', state });
});
