import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SweepParameter } from '../config/sweep-types';
import { Rng } from '../random';
import { parameterImportance } from './importance';
import type { TrialRecord } from './manifest';

const PARAMETERS: SweepParameter[] = [
  { path: 'training.learningRate', kind: 'float', low: 1e-4, high: 1e-1, log: true },
  { path: 'members[0].dropout', kind: 'float', low: 0, high: 0.5, log: false },
  { path: 'ensemble.combine', kind: 'categorical', choices: ['soft-vote', 'hard-vote'] },
];

/** 40 trials whose objective follows the learning rate alone, plus a little noise. */
function trials(): TrialRecord[] {
  const rng = new Rng(11);
  return Array.from({ length: 40 }, (_, i) => {
    const lr = 10 ** (-4 + 3 * rng.next());
    const params = {
      'training.learningRate': lr,
      'members[0].dropout': rng.next() * 0.5,
      'ensemble.combine': rng.next() < 0.5 ? 'soft-vote' : 'hard-vote',
    };
    const value = 1 - (Math.log10(lr) + 2.5) ** 2 / 4 + 0.01 * rng.normal();
    return { number: i + 1, state: 'completed', params, value, intermediate: [], startedAt: '' };
  });
}

test('the parameter the objective follows gets most of the importance', () => {
  const [lr] = parameterImportance(PARAMETERS, trials());
  assert.ok(lr.importance > 0.8, `learning rate ${lr.importance}`);
});

test('importances add up to 1', () => {
  const total = parameterImportance(PARAMETERS, trials()).reduce((s, p) => s + p.importance, 0);
  assert.ok(Math.abs(total - 1) < 1e-12);
});

test('with fewer than three completed trials every importance is 0', () => {
  const few = parameterImportance(PARAMETERS, trials().slice(0, 2));
  assert.deepEqual(
    few.map((p) => p.importance),
    [0, 0, 0],
  );
});
