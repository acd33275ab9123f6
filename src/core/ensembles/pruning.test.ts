import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MemberOutputs } from './evaluate';
import { ambiguity, pruningOrder } from './pruning';

/** A member whose validation outputs are `values`. */
function member(name: string, values: number[]): MemberOutputs {
  const validation = Float32Array.from(values);
  return {
    plan: { name } as MemberOutputs['plan'],
    kind: 'mlp',
    test: validation,
    validation,
    details: {},
  };
}

// a and b predict alike; c differs from both. Lower scores are better here.
const library = [member('a', [0.9, 0.1]), member('b', [0.8, 0.2]), member('c', [0.2, 0.8])];
const scores = [0.1, 0.2, 0.3];
const lower = { better: (x: number, y: number): boolean => x < y };
const names = (members: MemberOutputs[]): string[] => members.map((m) => m.plan.name);

test('by score, members are kept best first', () => {
  assert.deepEqual(names(pruningOrder(library, [0.3, 0.1, 0.2], lower, 'score')), ['b', 'c', 'a']);
});

test('by diversity, the best member comes first, then the one least like it', () => {
  assert.deepEqual(names(pruningOrder(library, scores, lower, 'diversity')), ['a', 'c', 'b']);
});

test('ambiguity is the mean squared difference from the kept members', () => {
  assert.ok(Math.abs(ambiguity(library[2], [library[0]]) - (0.49 + 0.49) / 2) < 1e-6);
});
