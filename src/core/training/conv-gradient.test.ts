import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend';
import { silentLogger } from '../log';
import { Rng } from '../random';

/** Gradients of sum(conv2d(x, w)^2) with respect to x and w, on the active backend. */
function convGradients(
  x: Float32Array,
  w: Float32Array,
  kernel: number,
  pad: 'same' | 'valid',
): number[][] {
  return tf.tidy(() => {
    const input = tf.tensor4d(x, [2, 6, 5, 3]);
    const filter = tf.tensor4d(w, [kernel, kernel, 3, 4]);
    const f = (a: tf.Tensor, b: tf.Tensor): tf.Scalar =>
      tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad)));
    return tf
      .grads(f)([input, filter])
      .map((g) => Array.from(g.dataSync()));
  });
}

function randomValues(count: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: count }, () => rng.normal());
}

function maxDifference(a: number[], b: number[]): number {
  return Math.max(...a.map((v, i) => Math.abs(v - b[i])));
}

for (const [kernel, pad] of [
  [3, 'same'],
  [2, 'same'],
  [3, 'valid'],
] as const) {
  test(`wasm conv2d gradients match the cpu backend (${kernel}x${kernel}, ${pad})`, async () => {
    const x = randomValues(2 * 6 * 5 * 3, 1);
    const w = randomValues(kernel * kernel * 3 * 4, 2);
    await initBackend('cpu', silentLogger);
    const expected = convGradients(x, w, kernel, pad);
    await initBackend('wasm', silentLogger);
    const actual = convGradients(x, w, kernel, pad);

    assert.ok(maxDifference(actual[1], expected[1]) < 1e-3, 'filter gradient');
    assert.ok(maxDifference(actual[0], expected[0]) < 1e-3, 'input gradient');
  });
}
