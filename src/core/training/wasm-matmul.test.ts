import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend';
import { silentLogger } from '../log';
import { Rng } from '../random';

function randomValues(count: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: count }, () => rng.normal());
}

/** a·b with the given flags, on the active backend, as plain numbers. */
function product(
  a: [Float32Array, number[]],
  b: [Float32Array, number[]],
  transposeA: boolean,
  transposeB: boolean,
): number[] {
  return tf.tidy(() =>
    Array.from(tf.matMul(tf.tensor(...a), tf.tensor(...b), transposeA, transposeB).dataSync()),
  );
}

function maxDifference(a: number[], b: number[]): number {
  return Math.max(...a.map((v, i) => Math.abs(v - b[i])));
}

const CASES = [
  { name: 'dy·Wᵀ', a: [32, 20], b: [24, 20], transposeA: false, transposeB: true },
  { name: 'xᵀ·dy', a: [32, 20], b: [32, 24], transposeA: true, transposeB: false },
  { name: 'both', a: [20, 32], b: [24, 20], transposeA: true, transposeB: true },
  { name: 'batched', a: [3, 16, 8], b: [3, 12, 8], transposeA: false, transposeB: true },
] as const;

for (const c of CASES) {
  test(`wasm matMul with transpose flags matches the cpu backend (${c.name})`, async () => {
    const size = (shape: readonly number[]): number => shape.reduce((x, y) => x * y, 1);
    const a: [Float32Array, number[]] = [randomValues(size(c.a), 1), [...c.a]];
    const b: [Float32Array, number[]] = [randomValues(size(c.b), 2), [...c.b]];
    await initBackend('cpu', silentLogger);
    const expected = product(a, b, c.transposeA, c.transposeB);
    await initBackend('wasm', silentLogger);
    const actual = product(a, b, c.transposeA, c.transposeB);

    assert.ok(
      maxDifference(actual, expected) < 1e-4,
      `max difference ${maxDifference(actual, expected)}`,
    );
  });
}

test('a flagged wasm matMul frees the transposed copy it makes', async () => {
  await initBackend('wasm', silentLogger);
  const a = tf.tensor(randomValues(64 * 32, 3), [64, 32]);
  const b = tf.tensor(randomValues(48 * 32, 4), [48, 32]);
  const before = tf.backend().numDataIds();
  for (let i = 0; i < 5; i++) tf.matMul(a, b, false, true).dispose();

  assert.equal(tf.backend().numDataIds(), before);
  tf.dispose([a, b]);
});
