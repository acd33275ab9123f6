import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SweepParameter } from '../config/sweep-types';
import type { SweepManifest, TrialRecord } from './manifest';
import { axisPosition, historySeries, parallelLines, sliceSeries } from './plots';

const LR: SweepParameter = {
  path: 'training.learningRate',
  kind: 'float',
  low: 1e-4,
  high: 1e-2,
  log: true,
};
const COMBINE: SweepParameter = {
  path: 'ensemble.combine',
  kind: 'categorical',
  choices: ['soft-vote', 'hard-vote', 'weighted'],
};

function trial(
  number: number,
  value: number | undefined,
  lr: number,
  state = 'completed',
): TrialRecord {
  const params = { 'training.learningRate': lr, 'ensemble.combine': 'hard-vote' };
  return {
    number,
    state: state as TrialRecord['state'],
    params,
    value,
    intermediate: [],
    startedAt: '',
  };
}

const MANIFEST = {
  objective: { metric: 'accuracy', split: 'validation', direction: 'maximize' },
  sweep: { parameters: [LR, COMBINE] },
  trials: [
    trial(1, 0.8, 1e-3),
    trial(2, undefined, 1e-4, 'pruned'),
    trial(3, 0.7, 1e-2),
    trial(4, 0.9, 1e-4),
  ],
} as unknown as SweepManifest;

test('the history gives each completed trial and the best objective after it', () => {
  assert.deepEqual(historySeries(MANIFEST), {
    trials: [
      { x: 1, y: 0.8 },
      { x: 3, y: 0.7 },
      { x: 4, y: 0.9 },
    ],
    best: [
      { x: 1, y: 0.8 },
      { x: 3, y: 0.8 },
      { x: 4, y: 0.9 },
    ],
  });
});

test('a log range puts its geometric middle at the middle of its axis', () => {
  assert.ok(Math.abs((axisPosition(LR, 1e-3) ?? NaN) - 0.5) < 1e-12);
});

test('choices sit evenly along their axis, in their order', () => {
  assert.deepEqual(
    COMBINE.kind === 'categorical' ? COMBINE.choices.map((c) => axisPosition(COMBINE, c)) : [],
    [0, 0.5, 1],
  );
});

test('parallel coordinates end with the objective scaled from the worst to the best trial', () => {
  assert.deepEqual(
    parallelLines(MANIFEST).map((line) => +(line.y.at(-1) ?? NaN).toFixed(12)),
    [0.5, 0, 1],
  );
});

test('a slice of a choice plots its index against the objective', () => {
  assert.deepEqual(
    sliceSeries(MANIFEST, COMBINE).map((p) => p.x),
    [1, 1, 1],
  );
});
