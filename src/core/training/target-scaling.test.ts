import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../backend';
import { silentLogger } from '../log';
import { foldTargetScale, targetScale } from './target-scaling';

test('folding the target scale turns standardized outputs into the original units', async () => {
  await initBackend('wasm', silentLogger);
  const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [2] })] });
  const x = tf.tensor2d([
    [1, 2],
    [3, -1],
  ]);
  const before = Array.from((model.predict(x) as tf.Tensor).dataSync());

  foldTargetScale(model, { mean: 150, std: 77 });
  const after = Array.from((model.predict(x) as tf.Tensor).dataSync());
  assert.deepEqual(
    after.map((v) => Math.round(v * 1e3)),
    before.map((v) => Math.round((v * 77 + 150) * 1e3)),
  );
});

test('the scale of a bootstrap sample counts repeated rows', () => {
  const data = { y: Float32Array.of(0, 10) } as Parameters<typeof targetScale>[0];
  assert.equal(targetScale(data, Int32Array.of(0, 0, 0, 1)).mean, 2.5);
});
