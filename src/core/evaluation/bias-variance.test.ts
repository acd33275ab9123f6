import assert from 'node:assert/strict';
import { test } from 'node:test';
import { squaredLoss, zeroOneLoss } from './bias-variance';
import type { BiasVarianceParts } from './types';

const close = (actual: BiasVarianceParts, expected: Partial<BiasVarianceParts>) =>
  Object.entries(expected).every(
    ([k, v]) => Math.abs(actual[k as keyof BiasVarianceParts] - v) < 1e-12,
  );

test('0-1 loss of three rows over four rounds, worked by hand (Domingos)', () => {
  // Row 0 (label 0): 0 0 1 0, unbiased, variance 1/4, loss 1/4.
  // Row 1 (label 1): 2 2 1 2, main prediction 2 is wrong, variance 1/4, loss 3/4.
  // Row 2 (label 2): 0 0 0 0, wrong, no variance, loss 1.
  const rounds = [
    Int32Array.of(0, 2, 0),
    Int32Array.of(0, 2, 0),
    Int32Array.of(1, 1, 0),
    Int32Array.of(0, 2, 0),
  ];
  const parts = zeroOneLoss([0, 1, 2], rounds, 3);
  assert.ok(
    close(parts, { loss: 2 / 3, bias: 2 / 3, variance: 1 / 6, netVariance: 0 }),
    JSON.stringify(parts),
  );
});

test('squared loss of two rows over two rounds, worked by hand', () => {
  // Row 0 (label 1): 1 and 3, mean 2: bias² 1, variance 1, loss 2.
  // Row 1 (label 2): 3 and 1, mean 2: bias² 0, variance 1, loss 1.
  const parts = squaredLoss([1, 2], [Float32Array.of(1, 3), Float32Array.of(3, 1)]);
  assert.ok(close(parts, { loss: 1.5, bias: 0.5, variance: 1 }), JSON.stringify(parts));
});
