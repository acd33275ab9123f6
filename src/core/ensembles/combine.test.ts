import assert from 'node:assert/strict';
import { test } from 'node:test';
import { combine } from './combine';

// Two rows, three classes, three members.
const a = Float32Array.from([0.6, 0.3, 0.1, 0.2, 0.5, 0.3]);
const b = Float32Array.from([0.1, 0.8, 0.1, 0.1, 0.6, 0.3]);
const c = Float32Array.from([0.5, 0.1, 0.4, 0.0, 0.2, 0.8]);

function close(actual: Float32Array, expected: number[]): void {
  assert.deepEqual(
    Array.from(actual, (v) => Math.round(v * 1e6) / 1e6),
    expected,
  );
}

test('soft vote averages probabilities', () => {
  close(combine('soft-vote', [a, b, c], 3), [0.4, 0.4, 0.2, 0.1, 0.433333, 0.466667]);
});

test('hard vote counts each member once for its top class', () => {
  close(combine('hard-vote', [a, b, c], 3), [0.666667, 0.333333, 0, 0, 0.666667, 0.333333]);
});

test('weighted vote follows the weights', () => {
  close(combine('weighted', [a, b], 3, [3, 1]), [0.475, 0.425, 0.1, 0.175, 0.525, 0.3]);
});

test('median of regression outputs ignores an outlying member', () => {
  close(combine('median', [Float32Array.of(1), Float32Array.of(2), Float32Array.of(100)], 1), [2]);
});

test('a weight list of the wrong length is a user error', () => {
  assert.throws(
    () => combine('weighted', [a, b], 3, [1]),
    /weights has 1 entries but there are 2 members/,
  );
});
