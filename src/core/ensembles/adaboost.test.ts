import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../random';
import { boostStep, weightedResample } from './adaboost';

test('a weighted resample draws rows in proportion to their weight', () => {
  const weights = Float64Array.of(0.7, 0.1, 0.2, 0);
  const rows = weightedResample(weights, 20_000, new Rng(3));
  const share = (row: number): number => rows.filter((r) => r === row).length / rows.length;

  assert.ok(Math.abs(share(0) - 0.7) < 0.02, `row 0 share ${share(0)}`);
  assert.ok(Math.abs(share(2) - 0.2) < 0.02, `row 2 share ${share(2)}`);
  assert.equal(share(3), 0);
});

test('a three-class member with error 0.25 gets α = ln 3 + ln 2 and its errors gain e^α', () => {
  const weights = new Float64Array(4).fill(0.25);
  const { summary, weights: next } = boostStep(weights, Uint8Array.of(1, 0, 0, 0), {
    classes: 3,
    learningRate: 1,
  });

  assert.ok(Math.abs(summary.alpha - (Math.log(3) + Math.log(2))) < 1e-12);
  assert.ok(Math.abs(next[0] / next[1] - 6) < 1e-9);
});

test('a member no better than chance (err ≥ 1 − 1/K) stops the boosting with α 0', () => {
  const weights = new Float64Array(4).fill(0.25);
  const wrong = Uint8Array.of(1, 1, 1, 0);
  const { summary } = boostStep(weights, wrong, { classes: 3, learningRate: 1 });

  assert.equal(summary.stopped, 'no better than chance');
  assert.equal(summary.alpha, 0);
});

test('a perfect member stops the boosting with a large, finite α', () => {
  const weights = new Float64Array(2).fill(0.5);
  const { summary } = boostStep(weights, Uint8Array.of(0, 0), { classes: 2, learningRate: 1 });

  assert.equal(summary.stopped, 'perfect');
  assert.ok(Number.isFinite(summary.alpha) && summary.alpha > 20);
});
